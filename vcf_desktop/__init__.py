"""VCF Desktop: vertebral compression fracture decision aid."""
