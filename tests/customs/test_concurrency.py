"""Eight border posts drawing at the same moment never ship more than the certificate holds."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from tests.customs.live import certificate_on


def test_eight_concurrent_draws_never_overdraw(isolated_app):
    certificate, tokens, _ = certificate_on(isolated_app)
    number, token = certificate["number"], tokens["officer"]
    asks = [30, 25, 20, 15, 10, 40, 35, 5]  # 180 asked of 100
    barrier = Barrier(len(asks))

    def draw(quantity):
        client = isolated_app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/certificates/{number}/shipments",
                               json={"border_post": f"post {quantity}",
                                     "lines": [{"line": 1, "quantity": quantity}]},
                               headers={"Authorization": f"Bearer {token}"})
        return quantity, response.status_code

    with ThreadPoolExecutor(len(asks)) as pool:
        results = list(pool.map(draw, asks))
    shipped = sum(q for q, status in results if status == 201)
    statuses = {status for _, status in results}
    assert statuses <= {201, 409}
    assert shipped <= 100
    final = isolated_app.test_client().get(f"/api/v1/certificates/{number}",
                                           headers={"Authorization": f"Bearer {token}"})
    line = final.get_json()["remaining"][0]
    assert line["shipped"] == shipped and line["left"] == 100 - shipped
    # Every refused draw was refused because it no longer fit.
    assert all(q > 100 - shipped for q, status in results if status == 409)
