"""Copy the pinned npm packages' browser files into the app's static folder (never committed)."""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "broker_registry" / "static" / "vendor"
FILES = {
    "jsqr/dist/jsQR.js": "jsQR.js",
    "axe-core/axe.min.js": "axe.min.js",
}

VENDOR.mkdir(parents=True, exist_ok=True)
for source, target in FILES.items():
    shutil.copyfile(ROOT / "node_modules" / source, VENDOR / target)
    for licence in ("LICENSE", "LICENSE.txt"):
        path = ROOT / "node_modules" / source.split("/")[0] / licence
        if path.exists():
            shutil.copyfile(path, VENDOR / f"{target}.{licence}")
print(f"vendored {len(FILES)} files into {VENDOR.relative_to(ROOT)}")
