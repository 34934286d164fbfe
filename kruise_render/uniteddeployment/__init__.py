"""UnitedDeployment expansion: replica allocation, validation and subset workload generation."""
