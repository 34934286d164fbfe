"""Reading, editing and writing YAML exactly as kubectl's Go reader sees it, keeping every byte we do not change."""
