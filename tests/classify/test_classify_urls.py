"""URL normalisation, page keys and campaign evidence; the SQL builders agree with the Python functions."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialseo.classify.referrers import referrer_origin, referrer_origin_sql
from socialseo.classify.urls import (
    campaign_key,
    campaign_key_sql,
    normalize_url,
    page_key,
    page_key_sql,
    tracking_evidence,
)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_page_key_strips_tracking_parameters_and_sorts_the_rest() -> None:
    assert page_key("/shop?utm_source=fb&size=m&colour=red&fbclid=IwAR0&gclid=x") == "/shop?colour=red&size=m"


def test_page_key_drops_fragment_and_trailing_slash_but_keeps_root() -> None:
    assert page_key("/blog/post/#comments") == "/blog/post"
    assert page_key("/") == "/"
    assert page_key("") == "/"
    assert page_key("/?utm_medium=email") == "/"


def test_page_key_of_absolute_url_is_its_path_and_query() -> None:
    assert page_key("https://Example.com/A/b/?z=1&a=2") == "/A/b?a=2&z=1"


def test_page_key_keeps_case_and_percent_encoding_of_the_path() -> None:
    assert page_key("/Caf%C3%A9/Menu") == "/Caf%C3%A9/Menu"


def test_page_key_matches_tracking_names_in_any_ascii_case_and_drops_empty_params() -> None:
    assert page_key("/p?UTM_Source=x&&FBCLID=1&_ga=2.1&keep=1&mc_cid=9") == "/p?keep=1"


def test_page_key_keeps_a_parameter_that_only_starts_like_a_click_id() -> None:
    assert page_key("/p?gclidx=1&fbclid") == "/p?gclidx=1"


def test_normalize_url_lowercases_scheme_and_host_and_drops_default_port() -> None:
    assert normalize_url("HTTPS://WWW.Example.COM:443/Path/?b=2&a=1&utm_source=x#top") == (
        "https://www.example.com/Path?a=1&b=2"
    )


def test_normalize_url_keeps_a_non_default_port_and_drops_user_info() -> None:
    assert normalize_url("http://user:secret@example.com:8080/") == "http://example.com:8080/"


def test_normalize_url_resolves_a_request_target_against_default_host() -> None:
    assert normalize_url("/about/", default_host="example.com") == "https://example.com/about"
    assert normalize_url("/about/", default_host="http://example.com:8080") == "http://example.com:8080/about"
    assert normalize_url("/about/") == "/about"


def test_tracking_evidence_reads_utm_fields_and_the_click_id() -> None:
    assert tracking_evidence(
        "/p?utm_source=News+Letter&utm_medium=e%2Dmail&utm_campaign=Spring%20Sale&gclid=1"
    ) == {
        "utm_source": "News Letter",
        "utm_medium": "e-mail",
        "utm_campaign": "Spring Sale",
        "click_id": "gclid",
    }


def test_tracking_evidence_of_a_plain_url_is_empty() -> None:
    assert tracking_evidence("/p?id=3") == {
        "utm_source": None,
        "utm_medium": None,
        "utm_campaign": None,
        "click_id": None,
    }


def test_click_id_without_a_value_is_no_evidence() -> None:
    assert campaign_key("/p?fbclid=&x=1").click_id == ""
    assert campaign_key("/p?x=1&ttclid=E.C.P").click_id == "ttclid"


def test_page_key_sql_turns_null_into_null(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute(f"SELECT {page_key_sql('x')} FROM (SELECT CAST(NULL AS VARCHAR) AS x)").fetchone() == (
        None,
    )


_PIECES = st.sampled_from(
    [
        "/",
        "?",
        "&",
        "=",
        "#",
        "utm_source",
        "UTM_Medium",
        "fbclid",
        "gclid",
        "mc_cid",
        "a",
        "b",
        "Z",
        "%20",
        "https://",
        "HTTP://Host.example:80",
        "\n",
        " ",
        "é",
        "\u212a",
        "ſ",
        "//",
        "x=1",
        "_ga",
        "pk_kwd",
    ]
)
_TEXT = st.one_of(
    st.lists(_PIECES, max_size=12).map("".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=20))
def test_page_key_sql_agrees_with_python(con: duckdb.DuckDBPyConnection, texts: list[str]) -> None:
    rows = con.execute(
        f"SELECT x, {page_key_sql('x')} FROM (SELECT unnest(?::VARCHAR[]) AS x)", [texts]
    ).fetchall()
    for text, from_sql in rows:
        assert from_sql == page_key(text), text


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=20))
def test_campaign_key_sql_agrees_with_python(con: duckdb.DuckDBPyConnection, texts: list[str]) -> None:
    key = campaign_key_sql("x")
    rows = con.execute(
        f"SELECT x, {key.utm_source}, {key.utm_medium}, {key.click_id} "
        "FROM (SELECT unnest(?::VARCHAR[]) AS x)",
        [texts],
    ).fetchall()
    for text, *from_sql in rows:
        assert tuple(from_sql) == tuple(campaign_key(text)), text


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=20))
def test_referrer_origin_sql_agrees_with_python(con: duckdb.DuckDBPyConnection, texts: list[str]) -> None:
    rows = con.execute(
        f"SELECT x, {referrer_origin_sql('x')} FROM (SELECT unnest(?::VARCHAR[]) AS x)", [texts]
    ).fetchall()
    for text, from_sql in rows:
        assert from_sql == referrer_origin(text), text


@given(st.text())
def test_page_key_and_normalize_url_never_raise(text: str) -> None:
    assert page_key(text) != ""
    assert isinstance(normalize_url(text), str)
    assert normalize_url(text, default_host="example.com").startswith("https://example.com") or (
        "://" in text or text.strip().startswith("//")
    )
