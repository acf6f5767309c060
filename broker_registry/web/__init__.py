"""The web layer: what every domain's views and JSON API share, and the few pages of no domain.

    auth.py            who is asking (token or session) and `requires` / `public`
    json_api.py        JSON bodies, answers and cursor pagination
    problems.py        domain errors as application/problem+json or an error page
    forms.py           pages' forms through the API's schemas; act_on_case
    submissions.py     a page's form acted on once, however often it is sent
    extensions.py      CSRF protection and rate limits
    languages.py       how a request's language is chosen; the language switch
    request_checks.py  refusals before any view reads a request (NUL characters)
    security.py        security headers on every answer
    cors.py            cross-origin reads of the public, credential-free resources
    static_files.py    versioned static URLs, cached for a year
    json_provider.py   JSON answers written by orjson
    serialise.py       models to JSON through their public schemas
    redirects.py       where a page may send the browser back to
    links.py           absolute links for emails
    health.py, pages.py, specification.py   /healthz and /readyz, the home page, docs/spec/
"""
