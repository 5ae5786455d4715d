"""PyInstaller entry point: the frozen `vcf-desktop` runs the same `main()` as `python -m vcf_desktop`."""

import sys

from vcf_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
