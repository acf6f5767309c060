"""The CJK font the certificate PDF needs (Debian's fonts-wqy-microhei, or the file the setting
BROKER_REGISTRY_CJK_FONT names). Without it ReportLab falls back to Adobe's STSong, which it
does not embed: most readers then print "�" for every Chinese character. So production
refuses to start without the font, development warns loudly, and a PDF drawn with the
fallback is never kept (certificates/rendering.py) nor cached by the browser."""

from __future__ import annotations

import logging
import sys

from ..settings import ConfigurationError, Settings
from .pdf import FONT_CANDIDATES, font_file

PACKAGE = "fonts-wqy-microhei"
INSTALL = f"sudo apt-get install {PACKAGE}"
log = logging.getLogger(__name__)


def missing(preferred: str) -> str:
    """What to do, in the words an operator needs."""
    looked = ", ".join(([preferred] if preferred else []) + list(FONT_CANDIDATES)) or "nothing"
    return (f"The certificate PDF needs a CJK font and none was found (looked for: {looked}). "
            f"Install the Debian package {PACKAGE} ({INSTALL}), or set "
            f"BROKER_REGISTRY_CJK_FONT to a TrueType font file (.ttf or .ttc) with Chinese "
            f"glyphs.")


def uses_fallback(preferred: str) -> bool:
    return font_file(preferred) is None


def check_cjk_font(settings: Settings) -> None:
    """At start: refuse in production, warn loudly in development."""
    if not uses_fallback(settings.cjk_font):
        return
    if settings.production:
        raise ConfigurationError(missing(settings.cjk_font))
    log.warning("%s\nUntil then certificate PDFs print the Chinese as \"\ufffd\" in most "
                "readers, and none of them is kept.", "!" * 72 + "\n" + missing(settings.cjk_font))


def main(argv: list[str]) -> int:
    """`make install`: say how to install the font when it is missing (never fail)."""
    import os

    preferred = os.environ.get("BROKER_REGISTRY_CJK_FONT", "")
    found = next((path for path in argv if os.path.exists(path)), None) if argv \
        else font_file(preferred)
    if found is None:
        print(f"warning: {missing(argv[0] if argv else preferred)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
