"""VCF Desktop: vertebral compression fracture decision aid."""

__version__ = "0.1.0"
