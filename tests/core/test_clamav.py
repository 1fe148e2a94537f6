"""The clamd INSTREAM client against a fake clamd on a real socket."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.clamav import CHUNK_SIZE, ScannerUnavailable, clamav_scan
from tests.core.conftest import EICAR


def test_clean_stream_is_ok(fake_clamd):
    result = clamav_scan(chunks=[b"hello, ", b"world"], address=fake_clamd.address)

    assert result.clean
    assert fake_clamd.commands == [b"zINSTREAM\0"]
    assert fake_clamd.received == [b"hello, world"]


def test_eicar_is_found_with_its_signature(fake_clamd):
    result = clamav_scan(chunks=[b"prefix ", EICAR], address=fake_clamd.address)

    assert not result.clean
    assert result.signature == "Eicar-Signature"


def test_large_input_is_framed_in_chunks_and_arrives_whole(fake_clamd):
    payload = bytes(range(256)) * ((3 * CHUNK_SIZE) // 256 + 7)

    clamav_scan(chunks=[payload], address=fake_clamd.address)

    assert fake_clamd.received == [payload]


def test_unix_socket_address(make_fake_clamd, tmp_path):
    server = make_fake_clamd(unix_path=tmp_path / "clamd.ctl")

    assert clamav_scan(chunks=[b"text"], address=server.address).clean
    assert server.address.startswith("unix://")


def test_error_reply_means_no_verdict(make_fake_clamd):
    server = make_fake_clamd(mode="error")

    with pytest.raises(ScannerUnavailable, match="size limit exceeded"):
        clamav_scan(chunks=[b"x"], address=server.address)


def test_unreachable_scanner(unreachable_address):
    with pytest.raises(ScannerUnavailable, match="Cannot connect"):
        clamav_scan(chunks=[b"x"], address=unreachable_address)


def test_silent_scanner_times_out(make_fake_clamd):
    server = make_fake_clamd(mode="silent")
    started = time.monotonic()

    with pytest.raises(ScannerUnavailable, match="stopped answering"):
        clamav_scan(chunks=[b"x"], address=server.address, timeout=0.5)
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("address", ["clamd:3310", "tcp://no-port", "http://host:3310"])
def test_address_that_is_not_understood(address):
    with pytest.raises(ImproperlyConfigured, match="not understood"):
        clamav_scan(chunks=[b"x"], address=address)
