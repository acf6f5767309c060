"""Pictures for the QR reader: hostile ones that keep a decoder searching, and phone photos of
a printed certificate that must still be read."""

from __future__ import annotations

import io
import random
import string

from PIL import Image, ImageDraw, ImageFilter

from certs import qr


def finder_grid(size: int = 3000, step: int = 10, noise: float = 0.0) -> bytes:
    """A one-bit PNG of finder-like squares (dark 7, light 5, dark 3) every `step` pixels:
    every one a candidate corner of a QR code. (3000, 10) is the 7,869-byte picture that kept
    the decoder busy for 10 s; noise spoils the compression, 0.0025 makes it about 100 KB."""
    rnd = random.Random(1)
    image = Image.new("1", (size, size), 1)
    draw = ImageDraw.Draw(image)
    for y in range(0, size, step):
        for x in range(0, size, step):
            draw.rectangle([x, y, x + 6, y + 6], fill=0)
            draw.rectangle([x + 1, y + 1, x + 5, y + 5], fill=1)
            draw.rectangle([x + 2, y + 2, x + 4, y + 4], fill=0)
    pixels = image.load()
    for _ in range(int(size * size * noise)):
        x, y = rnd.randrange(size), rnd.randrange(size)
        pixels[x, y] = 1 - pixels[x, y]
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def slow_after_scaling() -> bytes:
    """Finder squares every 8 pixels on a picture already at the size pictures are scaled to:
    scaling leaves it as it is, and the decoder still searches it for seconds."""
    from broker_registry.customs.picture import MAX_SIDE

    return finder_grid(MAX_SIDE, 8)


def payload_of_version(version: int) -> str:
    """An EUC1-like text that needs exactly this QR version (30 is the largest a certificate
    may need)."""
    alphabet = string.ascii_uppercase + string.digits + " $%*+-./:"
    rnd = random.Random(version)
    length = 100
    while qr.qr_version("EUC1:" + "A" * length) < version:
        length += 10
    while qr.qr_version("EUC1:" + "A" * length) > version:
        length -= 1
    return "EUC1:" + "".join(rnd.choice(alphabet) for _ in range(length))


def phone_photo(text: str, share: float, size=(3024, 4032)) -> bytes:
    """A 12-megapixel JPEG, as a phone takes it, of a page holding the code across `share` of
    the page's width (a third: the whole A4 certificate in the frame), a little turned and
    blurred."""
    code = Image.open(io.BytesIO(qr.render_png(text, box_size=8))).convert("L")
    side = int(size[0] * share)
    code = code.resize((side, side), Image.Resampling.BICUBIC)
    page = Image.new("L", size, 235)
    page.paste(code, ((size[0] - side) // 2, size[1] // 2))
    page = page.rotate(4, fillcolor=120, resample=Image.Resampling.BICUBIC)
    out = io.BytesIO()
    page.filter(ImageFilter.GaussianBlur(1.2)).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()
