"""Writes static/icons/icon-192.png and icon-512.png (the SVG icon, drawn without Pillow)."""

import struct
import zlib
from pathlib import Path

BRAND = (0x0B, 0x5D, 0x67)
WHITE = (0xFF, 0xFF, 0xFF)


def pixel(x: float, y: float) -> tuple[int, int, int]:
    """The icon on a 512 unit square: a white ring and dot on the brand colour."""
    d = ((x - 256) ** 2 + (y - 256) ** 2) ** 0.5
    return WHITE if (122 <= d <= 178) or d <= 46 else BRAND


def png(size: int) -> bytes:
    scale = 512 / size
    rows = bytearray()
    for j in range(size):
        rows.append(0)
        for i in range(size):
            rows.extend(pixel((i + 0.5) * scale, (j + 0.5) * scale))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "static" / "icons"
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(png(size))
