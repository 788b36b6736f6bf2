"""Sample cases for ``wbs demo``: realistic reports in both seed tenants, driven
through the real workflow so that every state and every outcome can be seen.

Reports go through ``intake.services.reports.report_submit`` (sealed like real ones);
cases move with ``casework.workflow.case_transition`` and the other staff
actions, acted by the demo accounts of wbs/demo/seed_tenants.py. Idempotent: a
tenant that has its demo cases is left as it is (an audit entry "demo_seed"
marks it), except that the showcase report's receipt is replaced on every run
so the demo can print one that works (receipts themselves are never stored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django_tenants.utils import schema_context

from casework.models import Case, Outcome
from casework.services.cases import case_add_note, case_assign, case_exclude
from casework.services.forwarding import case_forward
from casework.services.identity import identity_request
from casework.services.transitions import case_transition
from intake.models import Report
from intake.receipts import new_receipt, receipt_hash
from intake.report_input import parse_report
from intake.services.mailbox import mailbox_reply
from intake.services.reports import report_submit
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.audit.trail import audit_record
from tenants.clock import tenant_today
from tenants.models import Tenant
from wbs.demo.seed_tenants import SEED_APPLICATIONS

MARKER = "demo_seed"


@dataclass
class DemoReport:
    """One sample report: what the reporter sent and where staff take it."""

    key: str
    channel: str
    days_ago: int
    data: dict[str, Any]
    steps: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (transition, its arguments)
    assign_to: str = ""  # demo account local part: verifikator, pemeriksa, inspektur
    note: str = ""
    reporter_reply: str = ""
    exclude: str = ""  # demo account excluded for a conflict of interest (one who could know the case)
    identity_request: str = ""
    consent_to_forward_identity: bool = False
    evidence_pdf: str = ""
    forward_to: str = ""  # another seed tenant's slug: forwarded there with case_forward


def _report(category: str, what: str, description: str, **more: Any) -> dict[str, Any]:
    return {"category": category, "what": what, "description": description, **more}


IDENTITY_SITI = {"name": "Siti Rahmawati", "nik": "7271014506880003", "phone": "081355512345"}
IDENTITY_ANDI = {"name": "Andi Pratama", "phone": "082188874411"}
IDENTITY_DEDI = {"name": "Dedi Kurniawan", "nik": "3272011204790002", "phone": "085722203344"}
IDENTITY_RINA = {"name": "Rina Marlina", "email": "rina.marlina@example.com"}

Step = tuple[str, dict[str, str]]
VERIFY: Step = ("start_verification", {})
ACCEPT: Step = ("accept_for_review", {})
EXAMINE: Step = ("start_examination", {})
CLOSE: Step = ("close", {})


def conclude(outcome: str, summary: str) -> tuple[str, dict[str, str]]:
    return ("conclude", {"outcome": outcome, "summary": summary})


def clarify(message: str) -> tuple[str, dict[str, str]]:
    return ("request_clarification", {"message": message})


SHOWCASE = "clarification"

SULTENG_REPORTS = [
    DemoReport(
        "received",
        "web",
        1,
        _report(
            "pungli",
            "Pungutan di loket Samsat Palu",
            "Saat membayar pajak kendaraan di Samsat Palu, petugas loket meminta tambahan Rp 50.000 "
            "'biaya percepatan' tanpa kuitansi. Hal ini dialami beberapa warga yang antre bersama saya.",
            where="Kantor Samsat Palu, Jl. Moh. Hatta",
            when="Senin pagi, minggu lalu",
            how_much=50000,
            identity_mode="anonymous",
        ),
    ),
    DemoReport(
        "verification",
        "letter",
        6,
        _report(
            "pengadaan",
            "Pengadaan kapal nelayan tidak sesuai spesifikasi",
            "Bantuan kapal fiber untuk kelompok nelayan di Kabupaten Donggala diterima dengan mesin 15 PK, "
            "padahal kontrak menyebut 25 PK. Surat ini dikirim oleh ketua kelompok nelayan.",
            who=[
                {
                    "name": "PPK Bidang Perikanan Tangkap",
                    "position": "PPK",
                    "unit": "Dinas Kelautan dan Perikanan",
                }
            ],
            where="Desa Towale, Kabupaten Donggala",
            when="Oktober 2025",
            how_much=180000000,
            identity_mode="open",
            identity=IDENTITY_ANDI,
            relation="public",
        ),
        steps=[VERIFY],
        assign_to="verifikator",
    ),
    DemoReport(
        SHOWCASE,
        "web",
        9,
        _report(
            "gratifikasi",
            "Hadiah dari rekanan kepada pejabat BPKAD",
            "Menjelang akhir tahun anggaran, rekanan proyek mengirim parsel dan voucher belanja kepada "
            "pejabat di BPKAD yang memproses pencairan termin.",
            who=[{"name": "", "position": "Kepala Bidang Perbendaharaan", "unit": "BPKAD"}],
            where="Kantor BPKAD Provinsi, Palu",
            when="Desember 2025",
            identity_mode="confidential",
            identity=IDENTITY_SITI,
            relation="employee",
            notify_email="siti.rahmawati@example.com",
        ),
        steps=[
            VERIFY,
            clarify(
                "Terima kasih atas laporan Anda. Mohon sebutkan perkiraan nilai voucher dan nama rekanan "
                "yang mengirimkannya, bila Anda mengetahuinya."
            ),
        ],
        assign_to="verifikator",
        consent_to_forward_identity=True,
    ),
    DemoReport(
        "desk_review",
        "in_person",
        15,
        _report(
            "penyalahgunaan-aset",
            "Mobil dinas dipakai untuk keperluan pribadi",
            "Mobil dinas berpelat merah milik Biro Umum sering dipakai untuk mengantar keluarga pejabat ke "
            "sekolah dan berbelanja pada akhir pekan.",
            who=[{"name": "", "position": "Kepala Subbagian Rumah Tangga", "unit": "Biro Umum Setda"}],
            where="Palu Selatan",
            when="Setiap akhir pekan sejak Agustus 2025",
            why="Melanggar ketentuan penggunaan barang milik daerah.",
            identity_mode="anonymous",
        ),
        steps=[VERIFY, ACCEPT],
        assign_to="pemeriksa",
        note="Cek buku perjalanan kendaraan dan GPS armada untuk tiga akhir pekan terakhir.",
    ),
    DemoReport(
        "examination",
        "web",
        30,
        _report(
            "korupsi",
            "Dugaan mark-up pengadaan alat kesehatan RSUD",
            "Harga alat USG di kontrak RSUD Undata sekitar dua kali harga katalog elektronik untuk tipe yang "
            "sama. Dokumen penawaran diduga disusun oleh satu pihak.",
            who=[
                {"name": "", "position": "Pejabat Pembuat Komitmen", "unit": "RSUD Undata"},
                {"name": "CV Sehat Sentosa", "position": "Penyedia", "unit": ""},
            ],
            where="RSUD Undata, Palu",
            when="Tahun anggaran 2025",
            why="Harga wajar tersedia di e-katalog.",
            how="Penunjukan langsung dengan harga perkiraan sendiri yang digelembungkan.",
            how_much=1250000000,
            identity_mode="confidential",
            identity=IDENTITY_SITI,
            relation="employee",
        ),
        steps=[VERIFY, ACCEPT, EXAMINE],
        assign_to="pemeriksa",
        exclude="auditor",
        identity_request="Pelapor perlu dimintai keterangan langsung sebagai saksi dokumen penawaran.",
        evidence_pdf="Ringkasan perbandingan harga USG: kontrak Rp 2,4 miliar; e-katalog Rp 1,15 miliar.",
    ),
    DemoReport(
        "substantiated",
        "whatsapp",
        60,
        _report(
            "pungli",
            "Pungutan rekomendasi izin tambang galian C",
            "Pemohon rekomendasi teknis izin galian C dimintai 'uang koordinasi' Rp 5 juta.",
            where="Dinas ESDM Provinsi",
            how_much=5000000,
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            ACCEPT,
            EXAMINE,
            conclude(
                Outcome.SUBSTANTIATED,
                "Pemeriksaan membuktikan adanya pungutan. Pegawai yang bersangkutan dijatuhi hukuman disiplin "
                "dan uang dikembalikan kepada pemohon.",
            ),
        ],
        assign_to="pemeriksa",
    ),
    DemoReport(
        "forwarded",
        "email",
        45,
        _report(
            "korupsi",
            "Dugaan korupsi dana desa",
            "Kepala desa diduga memakai dana desa untuk membangun rumah pribadi.",
            where="Kabupaten Parigi Moutong",
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            ACCEPT,
            conclude(
                Outcome.FORWARDED,
                "Pengelolaan dana desa menjadi kewenangan Inspektorat Kabupaten Parigi Moutong; laporan Anda "
                "telah kami teruskan ke sana beserta bukti yang Anda kirim.",
            ),
        ],
    ),
    DemoReport(
        "not_substantiated",
        "letter",
        70,
        _report(
            "kolusi-nepotisme",
            "Pengangkatan kepala sekolah diduga karena kedekatan",
            "Seorang guru diangkat menjadi kepala SMA negeri padahal belum memenuhi syarat masa kerja.",
            who=[{"name": "", "position": "Kepala Bidang Pembinaan SMA", "unit": "Dinas Pendidikan"}],
            identity_mode="open",
            identity=IDENTITY_ANDI,
        ),
        steps=[
            VERIFY,
            ACCEPT,
            conclude(
                Outcome.NOT_SUBSTANTIATED,
                "Berkas pengangkatan menunjukkan syarat masa kerja dan sertifikat calon kepala sekolah sudah "
                "terpenuhi. Dugaan tidak terbukti.",
            ),
        ],
        assign_to="pemeriksa",
    ),
    DemoReport(
        "cannot_follow_up",
        "web",
        55,
        _report(
            "lainnya",
            "Pejabat diduga menerima suap",
            "Saya mendengar ada pejabat yang menerima suap.",
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            conclude(
                Outcome.CANNOT_FOLLOW_UP,
                "Laporan tidak menyebut siapa, kapan, di mana dan bagaimana kejadiannya, sehingga belum dapat "
                "ditindaklanjuti. Anda dapat mengirim laporan baru dengan keterangan yang lebih lengkap.",
            ),
        ],
    ),
    DemoReport(
        "not_a_violation",
        "phone",
        50,
        _report(
            "hambatan-layanan",
            "Antrean panjang di kantor layanan",
            "Pelapor mengeluhkan antrean panjang saat mengurus legalisir ijazah.",
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            conclude(
                Outcome.NOT_A_VIOLATION,
                "Antrean terjadi karena gangguan jaringan pada hari itu, bukan pelanggaran oleh pegawai. "
                "Keluhan Anda kami sampaikan kepada unit layanan untuk perbaikan.",
            ),
        ],
    ),
    DemoReport(
        "closed",
        "web",
        120,
        _report(
            "disiplin-asn",
            "Pegawai jarang masuk kantor",
            "Seorang pegawai di Dinas Pendidikan hampir tidak pernah hadir namun tetap menerima tunjangan "
            "kinerja penuh.",
            who=[{"name": "", "position": "Staf", "unit": "Dinas Pendidikan dan Kebudayaan"}],
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            ACCEPT,
            conclude(
                Outcome.NOT_SUBSTANTIATED,
                "Berdasarkan daftar hadir elektronik dan keterangan atasan, pegawai tersebut sedang tugas "
                "belajar. Dugaan tidak terbukti.",
            ),
            CLOSE,
        ],
        assign_to="pemeriksa",
    ),
]

SUKABUMI_REPORTS = [
    DemoReport(
        "received",
        "whatsapp",
        0,
        _report(
            "pungli",
            "Pungutan pembuatan KTP-el di kelurahan",
            "Petugas kelurahan meminta Rp 100.000 agar pengantar KTP-el diproses hari itu juga.",
            where="Kelurahan Cikole, Kota Sukabumi",
            how_much=100000,
            identity_mode="anonymous",
        ),
    ),
    DemoReport(
        "verification",
        "in_person",
        4,
        _report(
            "kolusi-nepotisme",
            "Penerimaan tenaga honorer tanpa seleksi",
            "Beberapa kerabat pejabat diterima sebagai tenaga honorer di Dinas Perhubungan tanpa pengumuman "
            "dan seleksi terbuka.",
            who=[{"name": "", "position": "Sekretaris Dinas", "unit": "Dinas Perhubungan"}],
            identity_mode="open",
            identity=IDENTITY_DEDI,
        ),
        steps=[VERIFY],
        assign_to="verifikator",
    ),
    DemoReport(
        SHOWCASE,
        "web",
        8,
        _report(
            "penyalahgunaan-wewenang",
            "Bantuan sosial tidak tepat sasaran",
            "Daftar penerima bantuan pangan di kelurahan kami berisi nama keluarga perangkat kelurahan, "
            "sementara warga miskin tidak terdaftar.",
            where="Kelurahan Nanggeleng",
            when="Januari 2026",
            identity_mode="confidential",
            identity=IDENTITY_RINA,
            notify_email="rina.marlina@example.com",
        ),
        steps=[
            VERIFY,
            clarify(
                "Mohon sebutkan bulan penyaluran bantuan dan, bila ada, contoh nama warga yang seharusnya "
                "menerima. Identitas Anda tetap kami rahasiakan."
            ),
        ],
        assign_to="verifikator",
        reporter_reply="Penyaluran bulan Januari 2026. Saya punya foto daftar penerima yang ditempel di kantor.",
    ),
    DemoReport(
        "desk_review",
        "letter",
        20,
        _report(
            "benturan-kepentingan",
            "Proyek trotoar dikerjakan perusahaan milik keluarga pejabat",
            "Pekerjaan trotoar di Jl. Ahmad Yani dikerjakan CV yang pemiliknya adik ipar Kepala Bidang Bina "
            "Marga.",
            who=[{"name": "", "position": "Kepala Bidang Bina Marga", "unit": "Dinas PUTR"}],
            where="Jl. Ahmad Yani, Kota Sukabumi",
            how_much=850000000,
            identity_mode="anonymous",
        ),
        steps=[VERIFY, ACCEPT],
        assign_to="pemeriksa",
        note="Minta akta pendirian CV dari OSS dan bandingkan dengan data kepegawaian.",
    ),
    DemoReport(
        "examination",
        "web",
        35,
        _report(
            "gratifikasi",
            "Uang terima kasih pengurusan IMB/PBG",
            "Pengembang perumahan memberikan amplop kepada petugas saat peninjauan lapangan PBG.",
            where="Kecamatan Warudoyong",
            identity_mode="confidential",
            identity=IDENTITY_DEDI,
            relation="employee",
        ),
        steps=[VERIFY, ACCEPT, EXAMINE],
        assign_to="pemeriksa",
        exclude="auditor",
        identity_request="Keterangan pelapor diperlukan untuk mencocokkan tanggal peninjauan lapangan.",
    ),
    DemoReport(
        "cannot_follow_up",
        "social_media",
        40,
        _report(
            "lainnya",
            "Unggahan media sosial tentang pejabat",
            "Ada unggahan yang menyebut pejabat kota menerima suap, tanpa keterangan lain.",
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            clarify("Mohon sebutkan siapa, kapan dan di mana kejadian itu, serta bukti yang Anda miliki."),
            ("resume", {}),
            conclude(
                Outcome.CANNOT_FOLLOW_UP,
                "Laporan tidak memuat unsur siapa, kapan dan di mana, dan sampai batas waktu tidak ada "
                "keterangan tambahan, sehingga belum dapat ditindaklanjuti.",
            ),
        ],
    ),
    DemoReport(
        "substantiated",
        "in_person",
        65,
        _report(
            "penyalahgunaan-aset",
            "Genset kantor kelurahan disewakan",
            "Genset milik kantor kelurahan disewakan untuk hajatan warga dan uangnya tidak disetor ke kas daerah.",
            where="Kelurahan Sriwedari",
            how_much=3500000,
            identity_mode="open",
            identity=IDENTITY_DEDI,
        ),
        steps=[
            VERIFY,
            ACCEPT,
            EXAMINE,
            conclude(
                Outcome.SUBSTANTIATED,
                "Terbukti. Uang sewa Rp 3.500.000 wajib disetor ke kas daerah dan lurah diberi teguran tertulis.",
            ),
        ],
        assign_to="pemeriksa",
    ),
    DemoReport(
        "not_substantiated",
        "email",
        75,
        _report(
            "korupsi",
            "Perjalanan dinas fiktif",
            "Diduga ada perjalanan dinas ke Bandung yang dilaporkan tetapi tidak pernah dilakukan.",
            who=[{"name": "", "position": "Staf", "unit": "Bappeda"}],
            when="September 2025",
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            ACCEPT,
            conclude(
                Outcome.NOT_SUBSTANTIATED,
                "Tiket, bukti penginapan dan daftar hadir rapat di Bandung lengkap. Dugaan tidak terbukti.",
            ),
        ],
        assign_to="pemeriksa",
    ),
    DemoReport(
        "not_a_violation",
        "phone",
        48,
        _report(
            "hambatan-layanan",
            "Layanan puskesmas tutup lebih awal",
            "Puskesmas tutup pukul 12.00 pada hari Sabtu sehingga pelapor tidak dilayani.",
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            conclude(
                Outcome.NOT_A_VIOLATION,
                "Jam layanan Sabtu memang sampai pukul 12.00 sesuai keputusan wali kota; pelayanan gawat darurat "
                "tetap buka 24 jam. Bukan pelanggaran.",
            ),
        ],
    ),
    DemoReport(
        "forwarded",
        "web",
        12,
        _report(
            "pungli",
            "Permintaan fee oleh pejabat Dinas Pendidikan Provinsi Sulawesi Tengah",
            "Saat pameran pendidikan di Sukabumi, pejabat Dinas Pendidikan Provinsi Sulawesi Tengah meminta "
            "fee 10% kepada penyedia mebel sekolah asal Sukabumi agar mendapat paket pengadaan di Palu.",
            who=[
                {
                    "name": "",
                    "position": "Kepala Bidang Sarana Prasarana",
                    "unit": "Dinas Pendidikan Prov. Sulteng",
                }
            ],
            where="Hotel di Kota Sukabumi",
            when="November 2025",
            how_much=300000000,
            identity_mode="confidential",
            identity=IDENTITY_RINA,
        ),
        steps=[VERIFY],
        consent_to_forward_identity=True,
        forward_to="sulteng",
    ),
    DemoReport(
        "closed",
        "web",
        150,
        _report(
            "pungli",
            "Pungutan parkir liar di pasar oleh pegawai dinas",
            "Pegawai dinas menarik retribusi parkir tanpa karcis di Pasar Pelita.",
            where="Pasar Pelita",
            identity_mode="anonymous",
        ),
        steps=[
            VERIFY,
            ACCEPT,
            EXAMINE,
            conclude(
                Outcome.SUBSTANTIATED,
                "Terbukti. Pegawai dijatuhi hukuman disiplin sedang dan penarikan retribusi kini memakai karcis "
                "elektronik.",
            ),
            CLOSE,
        ],
        assign_to="pemeriksa",
    ),
]

DEMO_REPORTS = {"sulteng": SULTENG_REPORTS, "sukabumi": SUKABUMI_REPORTS}


@dataclass
class DemoReceipt:
    tenant: Tenant
    reference: str
    receipt: str
    state: str


def _staff(slug: str) -> dict[str, User]:
    accounts = {
        user.email.split("@", 1)[0]: user for user in User.objects.filter(email__endswith=f"@{slug}.example")
    }
    return accounts


def _evidence_pdf(text: str) -> SimpleUploadedFile:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return SimpleUploadedFile("ringkasan-harga.pdf", bytes(pdf.output()), content_type="application/pdf")


def _actor_for(transition: str, staff: dict[str, User]) -> User:
    if transition in {"start_verification", "accept_for_review", "request_clarification", "resume"}:
        return staff["verifikator"]
    return staff["inspektur"]


def _seed_one(demo: DemoReport, staff: dict[str, User]) -> tuple[Case, str]:
    draft = parse_report(demo.data)
    draft.consent_to_forward_identity = demo.consent_to_forward_identity and draft.identity is not None
    files = [_evidence_pdf(demo.evidence_pdf)] if demo.evidence_pdf else []
    received_on = tenant_today() - timedelta(days=demo.days_ago)
    submitted = report_submit(
        draft=draft,
        files=files,
        channel=demo.channel,
        received_on=received_on,
        staff_user=None if demo.channel == "web" else staff["verifikator"],
    )
    case = Case.objects.get(pk=submitted.case_id)
    supervisor = staff["inspektur"]
    for transition, arguments in demo.steps:
        case = case_transition(
            case=case, actor=_actor_for(transition, staff), transition=transition, **arguments
        )
        if transition == "start_verification" and demo.assign_to:
            case = case_assign(
                case=case, actor=supervisor, assignee_id=staff[demo.assign_to].pk, reason="Pembagian tugas"
            )
    if demo.exclude:
        case_exclude(
            case=case,
            actor=supervisor,
            user_id=staff[demo.exclude].pk,
            reason="Terlapor masih berhubungan keluarga dengan petugas ini.",
        )
    if demo.note:
        case_add_note(case=case, actor=staff["pemeriksa"], body=demo.note)
    if demo.identity_request:
        identity_request(case=case, actor=staff["pemeriksa"], reason=demo.identity_request)
    if demo.reporter_reply:
        mailbox_reply(report=case.report, body=demo.reporter_reply)
    if demo.forward_to:
        case_forward(
            case=case,
            actor=supervisor,
            to_tenant_slug=demo.forward_to,
            pass_fields={"what", "description", "who", "where", "when", "how_much", "identity"},
            note="Terlapor adalah pejabat Pemerintah Provinsi Sulawesi Tengah; kewenangan pemeriksaan ada pada "
            "Inspektorat Provinsi.",
        )
        case.refresh_from_db()
    return case, submitted.receipt


def _new_showcase_receipt(case_id: int) -> tuple[str, Report]:
    """Give the showcase report a fresh receipt (the old one cannot be recovered: only its hash is kept)."""
    receipt = new_receipt()
    report = Report.objects.get(case__pk=case_id)
    report.receipt_hash = receipt_hash(receipt) or ""
    report.save(update_fields=["receipt_hash"])
    return receipt, report


def seed_demo_cases() -> list[DemoReceipt]:
    """Seed every seed tenant's sample cases (once); return one working receipt per tenant."""
    # The sample reporters' addresses are made up: their "there is news" mails go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _seed_demo_cases()


def _seed_demo_cases() -> list[DemoReceipt]:
    receipts = []
    for application in SEED_APPLICATIONS:
        tenant = Tenant.objects.filter(schema_name=application.slug).first()
        if tenant is None:
            continue
        with schema_context(tenant.schema_name):
            marker = AuditEntry.objects.filter(action=MARKER).first()
            if marker is None:
                staff = _staff(tenant.schema_name)
                showcase_id = None
                with transaction.atomic():
                    for demo in DEMO_REPORTS.get(tenant.schema_name, []):
                        case, _receipt = _seed_one(demo, staff)
                        if demo.key == SHOWCASE:
                            showcase_id = case.pk
                    audit_record(action=MARKER, showcase_case_id=showcase_id)
            else:
                showcase_id = marker.details.get("showcase_case_id")
            if showcase_id is None:
                continue
            with transaction.atomic():
                receipt, report = _new_showcase_receipt(showcase_id)
                state = Case.objects.get(pk=showcase_id).state
            receipts.append(
                DemoReceipt(tenant=tenant, reference=report.reference, receipt=receipt, state=state)
            )
    return receipts
