"""The Argo CD config management plugin: what runs inside the repo-server sidecar.

Argo CD hands the plugin a fresh copy of the repository, the Application's path as working
directory, its build environment and the Application's `plugin.env` (`ARGOCD_ENV_*`) and
`plugin.parameters` (`PARAM_*`). Everything the Application says is written by an adversary:
no value of it becomes an option of another program except through an allow-list
(`allowlist`), a path outside the checkout (`checkout`), or an environment variable of a tool
(`tools`).

- `checkout`: the repository root and the one containment check for Application-named paths;
- `settings`: reading Application values and Argo CD's build environment;
- `allowlist`: KUSTOMIZE_BUILD_OPTIONS and the Helm settings, as the only argv they may become;
- `tools`: running kustomize, kubectl and helm: argv lists, no shell, a controlled environment;
- `build`: the Application's manifests: kustomize, Helm or a plain directory;
- `discover`: whether the plugin claims a directory, without rendering anything.
"""
