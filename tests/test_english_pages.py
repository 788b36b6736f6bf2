"""Every reporter and staff page reads in English after the header's language
switch, and in Bahasa Indonesia without it (locale/en/LC_MESSAGES/django.mo)."""

import html
import re

import pytest
from django.test import Client

from tests.support.pages import paid_form

HOST = "sulteng.localhost"

# For each page: (English text that must appear, the Indonesian original it replaces).
PAGES = {
    "/": [
        ("Skip to content", "Lewati ke isi"),
        ("Make a report", "Buat laporan"),
        ("Follow up on a report", "Pantau laporan"),
        ("How to report", "Cara melapor"),
        ("What happens next", "Apa yang terjadi setelahnya"),
        ("We acknowledge your report within", "Laporan Anda dikonfirmasi dalam"),
        ("Your identity is protected", "Identitas Anda terlindungi"),
        ("Privacy notice", "Pemberitahuan privasi"),
        ("Office hours:", "Jam layanan:"),
    ],
    "/lapor/": [
        ("Report completeness (5W + 2H)", "Kelengkapan laporan (5W + 2H)"),
        ("not filled in yet", "belum diisi"),
        ("Type of misconduct", "Jenis pelanggaran"),
        ("What happened? (short title)", "Apa yang terjadi? (judul singkat)"),
        ("Describe what happened", "Ceritakan kejadiannya"),
        ("Who are you reporting?", "Siapa yang dilaporkan?"),
        ("Work unit / agency (OPD)", "Unit kerja / OPD"),
        ("When? (date or approximate time)", "Kapan? (tanggal atau perkiraan)"),
        (
            "What is the estimated loss to the state (in rupiah)?",
            "Berapa perkiraan kerugian negara (rupiah)?",
        ),
        ("Evidence (photos, PDFs, documents, recordings)", "Bukti (foto, PDF, dokumen, rekaman)"),
        ("Anonymous: no identity at all", "Anonim: tanpa identitas sama sekali"),
        ("Phone (optional)", "Telepon (tidak wajib)"),
        ("Your relationship to the agency", "Hubungan Anda dengan instansi"),
        ("Check completeness", "Periksa kelengkapan"),
        ("Submit report", "Kirim laporan"),
    ],
    "/pantau/": [
        ("Follow up on a report", "Pantau laporan"),
        ("Report code", "Kode laporan"),
        ("The session ends automatically after 20 minutes", "Sesi berakhir sendiri setelah 20 menit"),
    ],
    "/privasi/": [
        ("Privacy notice", "Pemberitahuan privasi"),
        ("processes the data in your report", "memproses data dalam laporan Anda"),
        ("Article 20(2) of UU 27/2022", "Pasal 20 ayat (2) UU 27/2022"),
        ("What we store", "Yang kami simpan"),
        ("What we do not store", "Yang tidak kami simpan"),
        ("not even in the server logs", "juga tidak di catatan server"),
        ("How long we keep it", "Berapa lama"),
        ("archive retention schedule (JRA)", "jadwal retensi arsip (JRA)"),
        ("If there is a data breach", "Bila terjadi kebocoran"),
        ("Questions:", "Pertanyaan:"),
    ],
    "/staff/login/": [
        ("Staff sign-in", "Masuk petugas"),
        ("This page is only for staff of", "Halaman ini hanya untuk petugas"),
        ("Email or username", "Email atau nama pengguna"),
        ("Password", "Kata sandi"),
        ("Sign in", "Masuk"),
    ],
}

REPORT = {
    "category": "korupsi",
    "what": "Pengadaan laptop digelembungkan",
    "description": "Harga laptop di kontrak dua kali harga pasar.",
    "where": "Palu",
    "identity_mode": "anonymous",
    "relation": "public",
}


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def visible_text(response) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def browser(host: str = HOST, language: str | None = None) -> Client:
    client = Client(HTTP_HOST=host)
    if language:
        switched = client.post("/i18n/setlang/", {"language": language, "next": "/"})
        assert switched.status_code == 302
        assert switched["Location"] == "/"
    return client


@pytest.mark.parametrize("path", list(PAGES))
def test_page_reads_in_english_after_the_switch(sulteng, path):
    response = browser(language="en").get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    text = visible_text(response)
    for english, indonesian in PAGES[path]:
        assert english in text, f"{path}: missing {english!r}"
        assert indonesian not in text, f"{path}: still shows {indonesian!r}"
    assert "Bahasa Indonesia" in text  # the switch now offers the way back


@pytest.mark.parametrize("path", list(PAGES))
def test_page_reads_in_indonesian_without_the_switch(sulteng, path):
    response = browser().get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()
    text = visible_text(response)
    for english, indonesian in PAGES[path]:
        assert indonesian in text, f"{path}: missing {indonesian!r}"
        assert english not in text, f"{path}: shows English {english!r} before any switch"


def test_switching_back_restores_indonesian(sulteng):
    client = browser(language="en")
    assert "Make a report" in visible_text(client.get("/"))
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    text = visible_text(client.get("/"))
    assert "Buat laporan" in text
    assert "Make a report" not in text


def test_english_works_on_another_tenant(sukabumi):
    text = visible_text(browser("sukabumi.localhost", language="en").get("/lapor/"))
    assert "Type of misconduct" in text
    assert "Jenis pelanggaran" not in text
    assert "Submit report" in text
    assert "Kirim laporan" not in text


def test_receipt_and_mailbox_read_in_english(sulteng):
    client = browser(language="en")
    response = client.post("/lapor/", paid_form(client, "/lapor/", REPORT), follow=True)
    assert response.status_code == 200
    text = visible_text(response)
    for english, indonesian in [
        ("We have received your report", "Laporan Anda sudah kami terima"),
        ("Write down or save the code below now.", "Catat atau simpan kode di bawah ini sekarang."),
        ("This code is shown only once and cannot be recovered.", "Kode ini hanya ditampilkan sekali"),
        ("Download receipt (PDF)", "Unduh tanda terima (PDF)"),
        ("Report completeness", "Kelengkapan laporan"),
    ]:
        assert english in text, english
        assert indonesian not in text, indonesian
    match = re.search(r'id="receipt"[^>]*>([2-9A-Z-]{24})<', response.content.decode())
    assert match, "no receipt on the page"

    mailbox = client.post("/pantau/", {"receipt": match.group(1)}, follow=True)
    assert mailbox.status_code == 200
    text = visible_text(mailbox)
    for english, indonesian in [
        ("Your report", "Laporan Anda"),
        ("Your report has been received and is waiting", "Laporan Anda sudah kami terima dan menunggu"),
        ("Messages", "Pesan"),
        ("No messages yet.", "Belum ada pesan."),
        ("Reply or add more information", "Balas atau tambahkan keterangan"),
        ("Attach evidence (optional)", "Lampirkan bukti (tidak wajib)"),
        ("Sign out", "Keluar"),
    ]:
        assert english in text, english
        assert indonesian not in text, indonesian
