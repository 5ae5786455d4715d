"""Headless command line: `vcf-desktop plan|validate|schema|protocol|selftest`, no Qt on the headless paths."""

from vcf_desktop.cli.entry import SUBCOMMANDS, main

__all__ = ["SUBCOMMANDS", "main"]
