"""Pipeline runners: compose the extraction steps over many inputs."""
