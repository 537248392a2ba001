"""The generated HAProxy config: HAProxy accepts it, and it holds the choices deploy/README.md explains."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.cluster import ServerSpec, check_config, knowledge_problems, render_config

SERVERS = [ServerSpec("r0", 40001), ServerSpec("r1", 40002), ServerSpec("r2", 40003, enabled=False)]


def write_config(tmp_path: Path, **options: object) -> Path:
    path = tmp_path / "haproxy.cfg"
    path.write_text(render_config(SERVERS, port=40000, admin_socket=tmp_path / "admin.sock", **options), encoding="utf-8")  # type: ignore[arg-type]
    return path


@pytest.mark.parametrize("upstream_keepalive", [False, True])
@pytest.mark.parametrize("bind", ["127.0.0.1", "0.0.0.0", "::1"])
def test_haproxy_accepts_the_generated_config(tmp_path: Path, upstream_keepalive: bool, bind: str) -> None:
    valid, output = check_config(write_config(tmp_path, upstream_keepalive=upstream_keepalive, bind=bind))
    assert valid, output
    assert "WARNING" not in output.upper(), output


def test_haproxy_check_catches_a_broken_config(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    path.write_text(path.read_text() + "\nbackend broken\n    balance no-such-algorithm\n", encoding="utf-8")
    valid, output = check_config(path)
    assert not valid
    assert "balance only supports" in output and "haproxy.cfg:" in output


def lines_of(text: str, section: str) -> list[str]:
    """The stripped lines of one section (`frontend hiplens`, `backend hiplens_app`, ...)."""
    out: list[str] = []
    inside = False
    for raw in text.splitlines():
        if raw and not raw[0].isspace():
            inside = raw.strip() == section
            continue
        if inside and raw.strip() and not raw.strip().startswith("#"):
            out.append(raw.strip())
    return out


def test_config_choices(tmp_path: Path) -> None:
    text = write_config(tmp_path).read_text()
    app = lines_of(text, "backend hiplens_app")
    static = lines_of(text, "backend hiplens_static")
    front = lines_of(text, "frontend hiplens")
    defaults = lines_of(text, "defaults")
    # Stickiness by an inserted cookie, never by the client's address.
    assert 'cookie HIPLENS_SRV insert indirect nocache httponly attr "SameSite=Lax"' in app
    assert not any(line.startswith(("balance source", "stick")) for line in app)
    assert "server r0 127.0.0.1:40001 check cookie r0" in app
    assert "server r2 127.0.0.1:40003 check cookie r2 disabled" in app
    # Health: the script health check; upstream connections closed after each response.
    assert "http-check send meth GET uri /_stcore/script-health-check ver HTTP/1.1 hdr Host localhost" in app
    assert "option http-server-close" in app and "option http-server-close" in static
    assert "timeout tunnel 2h" in defaults
    assert "option redispatch 1" in defaults
    default_server = next(line for line in app if line.startswith("default-server "))
    assert "on-marked-down shutdown-sessions" in default_server and "fall 3" in default_server
    # Static bundles from HAProxy's cache, with a year-long immutable lifetime.
    assert any(line.startswith("use_backend hiplens_static if { path_beg /static/ }") for line in front)
    assert "http-request cache-use hiplens_assets" in static
    assert 'http-response set-header Cache-Control "public, max-age=31536000, immutable" if { status 200 }' in static
    assert "server r1 127.0.0.1:40002 track hiplens_app/r1" in static
    for header in ("X-Content-Type-Options nosniff", "Referrer-Policy same-origin", "X-Frame-Options SAMEORIGIN"):
        assert f"http-after-response set-header {header}" in front


def test_keepalive_variant_only_drops_server_close(tmp_path: Path) -> None:
    shipped = write_config(tmp_path).read_text().splitlines()
    measured = render_config(SERVERS, port=40000, admin_socket=tmp_path / "admin.sock", upstream_keepalive=True).splitlines()
    removed = [line.strip() for line in shipped if line not in measured]
    assert removed == ["option http-server-close", "option http-server-close"]


def test_knowledge_check_names_file_and_problem(data_copy: Path) -> None:
    assert knowledge_problems(data_copy) == []
    (data_copy / "features.yaml").write_text("- id: [broken\n", encoding="utf-8")
    problems = knowledge_problems(data_copy)
    assert problems and problems[0].startswith("features.yaml") and "malformed YAML" in problems[0], problems[:3]
