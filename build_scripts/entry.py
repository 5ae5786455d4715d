"""PyInstaller entry point: the frozen `vcf-desktop` runs the same `run()` as `python -m vcf_desktop`."""

from vcf_desktop.__main__ import run

if __name__ == "__main__":
    run()
