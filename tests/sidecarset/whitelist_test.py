"""The patchPodMetadata whitelist in the kruise-configuration ConfigMap (sidecarset/whitelist.py)."""
from __future__ import annotations

import pytest

from tests.sidecarset.helpers import messages

TEXT = """
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata: {name: s1}
spec:
  selector: {matchLabels: {app: web}}
  containers: [{name: s, image: s:1}]
  patchPodMetadata: [{annotations: {key1: value1}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kruise-configuration, namespace: kruise-system}
data:
  SidecarSet_PatchPodMetadata_WhiteList: 'WHITELIST'
"""


@pytest.mark.parametrize("whitelist, problem", [
    ('{"rules":[{"allowedAnnotationKeyExprs":5}]}', "allowedAnnotationKeyExprs must be a list"),
    ('{"rules":{"a":1}}', "rules must be a list"),
    ('[1]', "rules must be a list"),
    ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
])
def test_an_unreadable_whitelist_refuses_the_sidecarset(whitelist: str, problem: str) -> None:
    # Go's json.Unmarshal into SidecarSetPatchMetadataWhiteList fails, and so does the webhook.
    found = messages(TEXT.replace("WHITELIST", whitelist))
    assert found == ["input.yaml:8: SidecarSet/s1: spec.patchPodMetadata: cannot read SidecarSet_PatchPodMetadata_WhiteList "
                     f"of ConfigMap kruise-system/kruise-configuration: {problem}"], found
