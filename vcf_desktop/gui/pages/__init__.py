"""The wizard's steps, in the order a clinician works."""
