"""The customs officer's page in a real browser: upload, camera, shipment, revocation."""

import pytest

from certs import qr
from tests.browser.conftest import launch_shell, sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser


def _revoke_licence(app, tokens, licence):
    response = app.test_client().post(f"/api/v1/licences/{licence['id']}/revoke",
                                      json={"reason": "Diverted consignment"},
                                      headers={"Authorization": f"Bearer {tokens['r1']}"})
    assert response.status_code == 200


def test_upload_verify_record_then_revoked(isolated_app, live_server, page, tmp_path):
    certificate, tokens, licence = certificate_on(isolated_app)
    image = tmp_path / "qr.png"
    image.write_bytes(qr.render_png(certificate["qr_payload"]))
    sign_in(page, live_server.url, "officer@example.org")

    page.goto(f"{live_server.url}/customs/verify")
    page.get_by_label("Or upload a photo of the QR code").set_input_files(str(image))
    page.get_by_role("button", name="Verify", exact=True).click()
    verdict = page.get_by_role("status").filter(has_text="VALID")
    assert verdict.locator(".verdict-word").inner_text() == "VALID"
    assert certificate["number"] in page.content()

    page.get_by_label("Border post").fill("Aflao")
    page.get_by_label("Quantity crossing").first.fill("40")
    page.get_by_role("button", name="Record shipment").click()
    assert "Shipment recorded" in page.inner_text("main")
    assert page.locator("table tbody tr").first.inner_text().split("\t")[-1].strip() == "60"

    _revoke_licence(isolated_app, tokens, licence)
    page.goto(f"{live_server.url}/customs/verify")
    page.get_by_label("Or upload a photo of the QR code").set_input_files(str(image))
    page.get_by_role("button", name="Verify", exact=True).click()
    assert page.locator(".verdict-word").inner_text() == "REVOKED"
    assert "Diverted consignment" in page.locator(".verdict-reason").inner_text()
    assert page.errors == []


def test_a_keyboard_scanner_types_and_presses_enter(isolated_app, live_server, page):
    certificate, _, _ = certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    page.goto(f"{live_server.url}/customs/verify")
    field = page.get_by_label("Scan with a 2D scanner, or paste the code (EUC1:…)")
    assert page.evaluate("document.activeElement.id") == "payload"  # focused for the scanner
    field.type(certificate["qr_payload"], delay=0)
    field.press("Enter")
    page.wait_for_load_state()
    assert page.locator(".verdict-word").inner_text() == "VALID"


def _y4m(png_path, y4m_path, frames: int = 30):
    """A short video of the QR code, in the raw format Chromium's fake camera reads."""
    from PIL import Image

    width, height = 640, 480
    canvas = Image.new("L", (width, height), 255)
    code = Image.open(png_path).convert("L")  # whole pixels per module: no resampling blur
    canvas.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    luma = canvas.tobytes()
    chroma = bytes([128]) * (width // 2 * height // 2)
    with open(y4m_path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_camera_reads_the_code(isolated_app, live_server, playwright_instance, tmp_path):
    certificate, _, _ = certificate_on(isolated_app)
    png, video = tmp_path / "qr.png", tmp_path / "qr.y4m"
    png.write_bytes(qr.render_png(certificate["qr_payload"], box_size=3))
    _y4m(png, video)
    browser = launch_shell(playwright_instance, "--use-fake-device-for-media-stream",
                           "--use-fake-ui-for-media-stream",
                           f"--use-file-for-fake-video-capture={video}")
    try:
        context = browser.new_context()
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        sign_in(page, live_server.url, "officer@example.org")
        page.goto(f"{live_server.url}/customs/verify")
        page.get_by_role("button", name="Scan with the camera").click()
        page.wait_for_selector(".verdict-word", timeout=20000)
        assert page.locator(".verdict-word").inner_text() == "VALID"
        assert certificate["number"] in page.content()
    finally:
        browser.close()


def test_without_a_camera_the_page_says_so_in_its_language(isolated_app, live_server,
                                                          browser):
    certificate_on(isolated_app)
    context = browser.new_context(locale="zh-CN")  # camera permission not granted
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "officer@example.org")
        page.goto(f"{live_server.url}/customs/verify?lang=zh")
        page.locator("#camera-start").click()
        status = page.locator("#camera-status")
        status.filter(has_text="摄像头").wait_for(timeout=10_000)
        said = status.inner_text()
        assert "上传照片" in said
        assert not any(c.isascii() and c.isalpha() for c in said), said  # no "(NotAllowedError)"
    finally:
        context.close()
