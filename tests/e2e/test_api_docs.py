"""The API docs page renders in a browser from the app's own files: not one request leaves the site.

The page is opened under a real host name (mapped to the live server): Swagger UI treats a site
on localhost differently (it would never ask validator.swagger.io for a badge there). Every request
that is not to the site is recorded and refused.
"""

from typing import Any

from tests.e2e.conftest import CHROMIUM, FLAGS

HOST = "api.minsheng.test"


def test_the_api_docs_render_with_no_outside_request(browser: Any, live_server: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    port = live_server.url.rsplit(":", 1)[1]
    site = f"http://{HOST}:{port}"
    mapped = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*FLAGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"], headless=True
    )
    try:
        page = mapped.new_page()
        outside: list[str] = []

        def guard(route: Any) -> None:
            if route.request.url.startswith(site + "/") or route.request.url.startswith("data:"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(site + "/api/v1/docs", wait_until="networkidle")
        assert outside == []
        page.locator(".swagger-ui .info .title").wait_for()
        assert "Minsheng" in page.locator(".swagger-ui .info .title").inner_text()
        page.get_by_text("Submit a petition").first.wait_for()
        page.wait_for_load_state("networkidle")
        assert outside == [] and errors == []
    finally:
        mapped.close()
