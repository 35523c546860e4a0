"""The source notebooks of the three courses, as data, and the writer that turns them
into nbgrader source folders (``courses/<course>/source/<assignment>/<assignment>.ipynb``).

``vbdt course sources`` rewrites them from here, so a change of wording or of a
check is made once and every notebook follows. Texts are Vietnamese: the
trainees read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

SCHEMA = 3
WORK = "lam-viec"          # the work folder, inside the assignment folder so it is handed in with it
UNIT = "Xã Diễn Kim"


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    cells: tuple


COURSES_TITLE = {
    "can-bo-xa": "Cán bộ, công chức cấp xã: văn bản điện tử và chữ ký số",
    "quan-tri": "Quản trị hệ thống: chứng thư số, mã định danh, trục liên thông, lưu trữ",
    "ke-hoach": "Lập kế hoạch: mô phỏng lộ trình gửi, nhận văn bản điện tử",
}


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id, "schema_version": SCHEMA}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def md(grade_id: str, text: str):
    return nbformat.v4.new_markdown_cell(text.strip(), metadata=_meta(grade_id, locked=True))


def setup(grade_id: str, source: str):
    return nbformat.v4.new_code_cell(source.strip(), metadata=_meta(grade_id, locked=True))


def answer(grade_id: str, source: str):
    return nbformat.v4.new_code_cell(source.strip(), metadata=_meta(grade_id, solution=True))


def test(grade_id: str, points: float, source: str):
    return nbformat.v4.new_code_cell(source.strip(), metadata=_meta(grade_id, grade=True, locked=True, points=points))


def open_seat(role: str = "van_thu", arrivals: int = 5, trap_share: float = 0.5) -> str:
    return f'''
from pathlib import Path
from simulator.lab import Session, SEAT_PASSPHRASE, trainee_id

HOC_VIEN = trainee_id()
THU_MUC = Path("{WORK}")
ban = Session.open(THU_MUC, unit="{UNIT}", role="{role}", trainee_id=HOC_VIEN,
                   arrivals={arrivals}, trap_share={trap_share})
print("Học viên:", HOC_VIEN, "| Đơn vị:", ban.seat.name, "| Mật khẩu chữ ký số thực hành:", SEAT_PASSPHRASE)
'''


INTRO_SEAT = """
**Cách làm bài.** Chạy lần lượt từng ô (Shift+Enter). Ô đầu tiên mở *bàn làm việc* của anh/chị trong thế giới
mô phỏng: các văn bản gửi đến là văn bản thật (PDF có chữ ký số), riêng cho từng học viên. Mọi thao tác được ghi vào
nhật ký trong thư mục `lam-viec/`; khi chấm, máy đọc nhật ký và các tệp trong thư mục này, **không** đọc trạng thái
của các nút bấm. Đừng sửa, xóa hay chép thư mục `lam-viec/` từ người khác: bài đó sẽ được 0 điểm.
Làm xong, chạy các ô kiểm tra ở cuối để xem kết quả, rồi nộp bài.
"""


def _clerk() -> list[Assignment]:
    return [
        Assignment("01-the-thuc-van-ban", "Thể thức văn bản và số, ký hiệu", (
            md("gioi-thieu", "# Bài 1. Thể thức văn bản hành chính\n\nTheo Nghị định 30/2020/NĐ-CP (Điều 8), một "
               "văn bản hành chính gồm: Quốc hiệu và Tiêu ngữ; tên cơ quan ban hành; số, ký hiệu; địa danh và thời "
               "gian ban hành; tên loại và trích yếu; nội dung; chức vụ, họ tên và chữ ký của người có thẩm quyền; "
               "dấu hoặc chữ ký số của cơ quan; nơi nhận.\n" + INTRO_SEAT),
            setup("mo-ban", open_seat()),
            md("huong-dan", "## Việc cần làm\n\n1. Bấm **Nhận văn bản mới** trên bàn *Văn bản đến* dưới đây cho đến "
               "khi văn bản `000` xuất hiện.\n2. Mở văn bản `000`, đọc kỹ trang đầu.\n3. Điền vào ô trả lời: số và ký "
               "hiệu (viết đúng như trên văn bản, ví dụ `05/QĐ-UBND`), tên loại văn bản, tên cơ quan ban hành, ngày "
               "ban hành (dạng `dd/mm/yyyy`) và họ tên người ký."),
            setup("ban-van-ban-den", "from simulator.lab.widgets import InboxDesk\nInboxDesk(ban)"),
            answer("tra-loi", '''
tra_loi = {
    "so_ky_hieu": None,        # ví dụ "05/QĐ-UBND"
    "loai_van_ban": None,      # ví dụ "Quyết định"
    "co_quan_ban_hanh": None,  # ví dụ "Ủy ban nhân dân huyện Diễn Châu"
    "ngay_ban_hanh": None,     # ví dụ "02/03/2026"
    "nguoi_ky": None,          # họ và tên
}
### BEGIN SOLUTION
from simulator.grading.practice import anatomy_answers
tra_loi = anatomy_answers(ban)
### END SOLUTION
'''),
            test("kiem-tra-the-thuc", 5, '''
from simulator.grading.values import require_answers
require_answers(tra_loi, ["so_ky_hieu", "loai_van_ban", "co_quan_ban_hanh", "ngay_ban_hanh", "nguoi_ky"])
### BEGIN HIDDEN TESTS
from simulator.grading import grade_anatomy
from simulator.lab import trainee_id
grade_anatomy("lam-viec", trainee_id(), tra_loi).award(5)
### END HIDDEN TESTS
'''),
        )),
        Assignment("02-ky-so-xac-thuc", "Chữ ký số và kiểm tra văn bản đến", (
            md("gioi-thieu", "# Bài 2. Kiểm tra chữ ký số\n\nVăn thư phải kiểm tra tính xác thực và toàn vẹn của "
               "văn bản điện tử đến trước khi vào sổ (Nghị định 30/2020/NĐ-CP, Điều 22). Một văn bản hợp lệ có chữ ký "
               "của người có thẩm quyền **trước**, chữ ký số của cơ quan **sau**; chứng thư còn hiệu lực, chưa bị thu "
               "hồi; nội dung không bị sửa sau khi ký. Trong thế giới của anh/chị có những văn bản bị làm giả.\n"
               + INTRO_SEAT),
            setup("mo-ban", open_seat()),
            md("huong-dan", "## Việc cần làm\n\n1. Nhận hết văn bản (bấm **Nhận văn bản mới** đến khi không còn "
               "văn bản mới).\n2. Với mỗi văn bản (trừ yêu cầu thu hồi), bấm **Kiểm tra chữ ký** và đọc kết quả.\n3. Ghi "
               "vào ô trả lời danh sách mã các văn bản **không hợp lệ** về chữ ký số, ví dụ `[\"001\", \"004\"]`."),
            setup("ban-van-ban-den", "from simulator.lab.widgets import InboxDesk\nInboxDesk(ban)"),
            answer("tra-loi", '''
van_ban_khong_hop_le = None   # ví dụ ["001", "004"]
### BEGIN SOLUTION
from simulator.grading.practice import verify_all
van_ban_khong_hop_le = verify_all(ban)
### END SOLUTION
'''),
            test("kiem-tra-xac-thuc", 5, '''
from simulator.grading.values import require_answers
require_answers({"van_ban_khong_hop_le": van_ban_khong_hop_le}, ["van_ban_khong_hop_le"])
### BEGIN HIDDEN TESTS
from simulator.grading import grade_verification
from simulator.lab import trainee_id
grade_verification("lam-viec", trainee_id(), van_ban_khong_hop_le).award(5)
### END HIDDEN TESTS
'''),
        )),
        Assignment("03-van-ban-den", "Tiếp nhận, vào sổ và xử lý văn bản đến", (
            md("gioi-thieu", "# Bài 3. Văn bản đến\n\nQuy trình (Nghị định 30/2020/NĐ-CP, Điều 20–24): tiếp nhận → "
               "kiểm tra → vào sổ (cấp số đến) → trình lãnh đạo → giao xử lý. Văn bản điện tử không hợp lệ hoặc gửi "
               "nhầm thì trả lại nơi gửi kèm lý do; văn bản đến phải vào sổ **chậm nhất trong ngày làm việc tiếp "
               "theo**. Nơi gửi có thể đề nghị **thu hồi** một văn bản đã gửi: đồng ý thu hồi trên hệ thống.\n"
               + INTRO_SEAT),
            setup("mo-ban", open_seat()),
            md("huong-dan", "## Việc cần làm\n\nTrên bàn *Văn bản đến*, làm với từng văn bản **ngay khi nó đến** (thời hạn "
               "tính từ lúc đến): **Kiểm tra chữ ký**; **Trả lại nơi gửi** (kèm lý do) văn bản có chữ ký không hợp "
               "lệ hoặc gửi nhầm đơn vị; **Vào sổ**, **Trình lãnh đạo** và **Phân công** văn bản hợp lệ; **Đồng ý "
               "thu hồi** khi nơi gửi yêu cầu. Rồi mới bấm **Nhận văn bản mới**. Sổ đến ở bàn *Sổ đăng ký văn bản*."),
            setup("ban-lam-viec", "from simulator.lab.widgets import InboxDesk, RegisterDesk\n"
                                  "display(InboxDesk(ban), RegisterDesk(ban))"),
            answer("ghi-chu", '''
# Ô ghi chú của anh/chị (không bắt buộc viết mã).
### BEGIN SOLUTION
from simulator.grading.practice import handle_incoming
handle_incoming(ban)
### END SOLUTION
'''),
            test("kiem-tra-van-ban-den", 6, '''
from simulator.grading import grade_incoming
from simulator.lab import trainee_id
grade_incoming("lam-viec", trainee_id()).award(6)
'''),
        )),
        Assignment("04-van-ban-di", "Ký số, đóng dấu số và phát hành văn bản đi", (
            md("gioi-thieu", "# Bài 4. Văn bản đi\n\nTrình tự (Nghị định 30/2020/NĐ-CP, Điều 11–18): dự thảo → người "
               "có thẩm quyền **ký số** → văn thư cấp số, **ký số của cơ quan** (đóng dấu số) → đăng ký vào sổ văn bản "
               "đi → phát hành qua trục liên thông trong ngày. Chữ ký số của cơ quan chỉ được thực hiện **sau** chữ ký "
               "của người có thẩm quyền.\n" + INTRO_SEAT),
            setup("mo-ban", open_seat()),
            md("huong-dan", "## Việc cần làm\n\n1. Xử lý văn bản đến như Bài 3.\n2. Soạn văn bản **trả lời văn bản "
               "hợp lệ đầu tiên** (văn bản hợp lệ có mã nhỏ nhất, không bị thu hồi) ở bàn *Ký số và phát hành* "
               "(**Soạn văn bản trả lời**).\n3. **Ký số (lãnh đạo)**, rồi **Cấp số và đóng dấu (văn thư)** (mật khẩu thực "
               "hành in ở ô đầu).\n4. **Phát hành**."),
            setup("ban-lam-viec", "from simulator.lab.widgets import InboxDesk, SigningDesk\n"
                                  "display(InboxDesk(ban), SigningDesk(ban))"),
            answer("ghi-chu", '''
# Ô ghi chú của anh/chị (không bắt buộc viết mã).
### BEGIN SOLUTION
from simulator.grading.practice import handle_outgoing
handle_outgoing(ban, SEAT_PASSPHRASE)
### END SOLUTION
'''),
            test("kiem-tra-van-ban-di", 6, '''
from simulator.grading import grade_outgoing
from simulator.lab import trainee_id
grade_outgoing("lam-viec", trainee_id()).award(6)
'''),
        )),
        Assignment("05-ho-so-luu-tru", "Lập hồ sơ và nộp lưu", (
            md("gioi-thieu", "# Bài 5. Hồ sơ và lưu trữ\n\nVăn bản sau khi xử lý xong được lập hồ sơ. Mỗi hồ sơ có "
               "**thời hạn bảo quản** theo Thông tư 10/2022/TT-BNV; hồ sơ được nộp vào lưu trữ cơ quan dưới dạng gói "
               "bảo quản và được kiểm tra toàn vẹn định kỳ.\n" + INTRO_SEAT),
            setup("mo-ban", open_seat()),
            md("huong-dan", "## Việc cần làm\n\n1. Xử lý văn bản đến và trả lời như Bài 3 và Bài 4.\n2. Ở bàn *Hồ sơ và "
               "lưu trữ*, mở hồ sơ **\"Hồ sơ văn bản trao đổi về công tác chung năm 2026\"** với thời hạn bảo quản đúng cho "
               "công văn trao đổi về công tác chung.\n3. Đưa vào hồ sơ mọi văn bản đến đã vào sổ (trừ văn bản đã bị "
               "thu hồi) và văn bản trả lời đã phát hành.\n4. **Nộp lưu hồ sơ**."),
            setup("ban-lam-viec", "from simulator.lab.widgets import InboxDesk, SigningDesk, RecordDesk\n"
                                  "display(InboxDesk(ban), SigningDesk(ban), RecordDesk(ban))"),
            answer("ghi-chu", '''
# Ô ghi chú của anh/chị (không bắt buộc viết mã).
### BEGIN SOLUTION
from simulator.grading.practice import keep_records
keep_records(ban, SEAT_PASSPHRASE)
### END SOLUTION
'''),
            test("kiem-tra-ho-so", 5, '''
from simulator.grading import grade_records
from simulator.lab import trainee_id
grade_records("lam-viec", trainee_id()).award(5)
'''),
        )),
    ]


def _admin() -> list[Assignment]:
    intro = INTRO_SEAT + "\nQuản trị viên có thể làm trên các bảng điều khiển hoặc viết mã gọi các hàm của `ban`.\n"
    return [
        Assignment("01-chung-thu-so", "Cấp, thu hồi và cấp lại chứng thư số", (
            md("gioi-thieu", "# Bài 1. Chứng thư số\n\nTình huống: thiết bị ký số (USB token) của Chủ tịch xã bị mất; "
               "xã vừa tuyển một công chức mới.\n" + intro),
            setup("mo-ban", open_seat(role="quan_tri", arrivals=4)),
            setup("nhiem-vu", "from simulator.grading.tasks import certificate_task\n"
                              "nhiem_vu = certificate_task(HOC_VIEN)\nnhiem_vu"),
            md("huong-dan", "## Việc cần làm\n\n1. Thu hồi chứng thư số của lãnh đạo bị mất token, lý do **lộ khóa** "
               "(`key_compromise`).\n2. Cấp chứng thư số mới cho lãnh đạo đó.\n3. Cấp chứng thư số cá nhân cho công "
               "chức mới (`nhiem_vu[\"nhan_vien_moi\"]`, chức vụ `nhiem_vu[\"chuc_vu\"]`).\n4. Không thu hồi chứng "
               "thư số của cơ quan."),
            setup("ban-lam-viec", "from simulator.lab.widgets import PKIConsole\nPKIConsole(ban)"),
            answer("lam-bai", '''
# Viết mã ở đây nếu anh/chị không dùng bảng điều khiển.
### BEGIN SOLUTION
from simulator.grading.practice import manage_certificates
manage_certificates(ban, HOC_VIEN, SEAT_PASSPHRASE)
### END SOLUTION
'''),
            test("kiem-tra-chung-thu", 6, '''
from simulator.grading import grade_certificates
from simulator.lab import trainee_id
grade_certificates("lam-viec", trainee_id()).award(6)
'''),
        )),
        Assignment("02-ma-dinh-danh", "Mã định danh và danh mục đơn vị", (
            md("gioi-thieu", "# Bài 2. Mã định danh (QCVN 102:2016/BTTTT)\n\nMã định danh có dạng "
               "`V1V2V3.Z1Z2.Y1Y2.Hnn` (13 ký tự), đọc từ phải sang trái: cấp 1 (`Hnn` cho tỉnh), rồi cấp 2, 3, 4. "
               "Mã cấp 1 của Nghệ An là **H41** (khác mã thống kê 40). Mỗi học viên có một đơn vị và một danh sách mã "
               "riêng."),
            setup("nhiem-vu", "from simulator.lab import trainee_id\nfrom simulator.grading.tasks import "
                              "identifier_task\nfrom simulator.province import load_province\n"
                              "tinh = load_province(\"Nghệ An\", 2024)\nnhiem_vu = identifier_task(trainee_id())\n"
                              "nhiem_vu"),
            md("huong-dan", "## Việc cần làm\n\nĐiền `tra_loi`: `ma_tinh` là mã của UBND tỉnh Nghệ An; `ma_don_vi` là "
               "mã của `nhiem_vu[\"don_vi\"]` (tra bằng `tinh.find(...)`); `ma_sai` là danh sách các mã **sai thể "
               "thức** trong `nhiem_vu[\"ma_can_kiem_tra\"]` (dùng `simulator.province.codes.validate`)."),
            answer("tra-loi", '''
tra_loi = {"ma_tinh": None, "ma_don_vi": None, "ma_sai": None}
### BEGIN SOLUTION
from simulator.errors import UserError
from simulator.province.codes import validate

def sai_the_thuc(ma):
    try:
        validate(ma)
        return False
    except UserError:
        return True

tra_loi = {"ma_tinh": tinh.committee.code, "ma_don_vi": tinh.find(nhiem_vu["don_vi"]).code,
           "ma_sai": [m for m in nhiem_vu["ma_can_kiem_tra"] if sai_the_thuc(m)]}
### END SOLUTION
'''),
            test("kiem-tra-ma", 5, '''
from simulator.grading.values import require_answers
require_answers(tra_loi, ["ma_tinh", "ma_don_vi", "ma_sai"])
### BEGIN HIDDEN TESTS
from simulator.grading import grade_identifiers
from simulator.lab import trainee_id
grade_identifiers(trainee_id(), tra_loi).award(5)
### END HIDDEN TESTS
'''),
        )),
        Assignment("03-truc-lien-thong", "Trục liên thông khi mất kết nối", (
            md("gioi-thieu", "# Bài 3. Sự cố trục liên thông\n\nKhi trục liên thông mất kết nối, văn bản phải chờ và "
               "được gửi lại, **không được mất**. Không phát hành khi trục đang ngừng: số văn bản đi sẽ bị cấp mà văn "
               "bản không đi.\n" + intro),
            setup("mo-ban", open_seat(role="quan_tri")),
            md("huong-dan", "## Việc cần làm\n\n1. Xử lý văn bản đến, soạn trả lời văn bản hợp lệ đầu tiên, ký và ký "
               "số cơ quan (như bài văn thư).\n2. Diễn tập sự cố: trên bảng *Giám sát trục liên thông*, bấm "
               "**Ngắt kết nối của đơn vị**, rồi **Khôi phục kết nối**.\n3. Khi trục hoạt động lại, phát hành văn bản trả lời."),
            setup("ban-lam-viec", "from simulator.lab.widgets import AxisMonitor, InboxDesk, SigningDesk\n"
                                  "display(AxisMonitor(ban), InboxDesk(ban), SigningDesk(ban))"),
            answer("lam-bai", '''
# Viết mã ở đây nếu anh/chị không dùng bảng điều khiển.
### BEGIN SOLUTION
from simulator.grading.practice import outage_drill
outage_drill(ban, SEAT_PASSPHRASE)
### END SOLUTION
'''),
            test("kiem-tra-truc", 5, '''
from simulator.grading import grade_outage
from simulator.lab import trainee_id
grade_outage("lam-viec", trainee_id()).award(5)
'''),
        )),
        Assignment("04-sao-luu-kiem-tra", "Sao lưu, kiểm tra toàn vẹn và tiêu hủy", (
            md("gioi-thieu", "# Bài 4. Sao lưu, kiểm tra và tiêu hủy\n\nThông tư 02/2019/TT-BNV: tài liệu điện tử "
               "phải có bản sao lưu; kho lưu trữ được kiểm tra toàn vẹn định kỳ. Hồ sơ hết thời hạn bảo quản được "
               "xem xét tiêu hủy **từ ngày 1/1 của năm sau năm kết thúc công việc cộng số năm bảo quản**.\n" + intro),
            setup("mo-ban", open_seat(role="quan_tri")),
            setup("nhiem-vu", "from simulator.grading.tasks import backup_task\nnhiem_vu = backup_task(HOC_VIEN)\n"
                              "nhiem_vu"),
            md("huong-dan", "## Việc cần làm\n\n1. Lập hồ sơ và nộp lưu như Bài 5 của văn thư.\n2. Sao lưu kho vào "
               "thư mục `lam-viec/sao-luu` bằng mã `ban.backup_archive(THU_MUC / \"sao-luu\")`, rồi bấm **Kiểm tra "
               "toàn bộ kho lưu trữ** trên bảng *Kiểm tra kho lưu trữ*.\n3. Trả lời: hồ sơ loại "
               "`nhiem_vu[\"loai_ho_so\"]` kết thúc ngày `nhiem_vu[\"ngay_ket_thuc\"]` được đưa ra xem xét tiêu hủy "
               "từ năm nào? (số nguyên, tra `simulator.archiving.retention_rule`)."),
            setup("ban-lam-viec", "from simulator.lab.widgets import RecordDesk, ArchiveAudit\n"
                                  "display(RecordDesk(ban), ArchiveAudit(ban))"),
            answer("tra-loi", '''
tra_loi = {"nam_xem_xet_huy": None}
### BEGIN SOLUTION
from simulator.archiving import retention_rule
from simulator.grading.practice import backup_and_audit
backup_and_audit(ban, SEAT_PASSPHRASE)
tra_loi = {"nam_xem_xet_huy": retention_rule(nhiem_vu["khoa"]).expires(nhiem_vu["ngay_ket_thuc"]).year}
### END SOLUTION
'''),
            test("kiem-tra-sao-luu", 5, '''
from simulator.grading.values import require_answers
require_answers(tra_loi, ["nam_xem_xet_huy"])
### BEGIN HIDDEN TESTS
from simulator.grading import grade_backup
from simulator.lab import trainee_id
grade_backup("lam-viec", trainee_id(), tra_loi).award(5)
### END HIDDEN TESTS
'''),
        )),
    ]


def _planner() -> list[Assignment]:
    task = ("from simulator.lab import trainee_id\nfrom simulator.grading.tasks import scenario_task, scenarios_dir\n"
            "nhiem_vu = scenario_task(trainee_id())\nKICH_BAN = scenarios_dir()\nnhiem_vu")
    return [
        Assignment("01-chay-kich-ban", "Chạy và đọc một kịch bản", (
            md("gioi-thieu", "# Bài 1. Chạy một kịch bản\n\nKịch bản `plan-2020` mô tả tỉnh Nghệ An năm 2020 theo Kế "
               "hoạch 338/KH-UBND. Mỗi học viên chạy với **hạt giống (seed) riêng** trong `nhiem_vu`. Chỉ tiêu II.1: "
               "tỷ lệ văn bản giữa các cơ quan gửi hoàn toàn điện tử."),
            setup("nhiem-vu", task),
            md("huong-dan", "## Việc cần làm\n\nChạy `run_one(Scenario.load(KICH_BAN / \"plan-2020.yaml\"), "
               "nhiem_vu[\"seed\"], 0, days=nhiem_vu[\"ngay\"])` rồi điền: `II.1` (số thực), `chi_phi` (tổng chi phí, "
               "khóa `total_cost_vnd`) và `dat_II1` (`True`/`False`: II.1 có đạt chỉ tiêu 2020 không)."),
            answer("tra-loi", '''
tra_loi = {"II.1": None, "chi_phi": None, "dat_II1": None}
### BEGIN SOLUTION
from simulator.flows import Scenario, run_one
from simulator.flows.indicators import target_for
kpis = run_one(Scenario.load(KICH_BAN / "plan-2020.yaml"), nhiem_vu["seed"], 0, days=nhiem_vu["ngay"])["kpis"]
tra_loi = {"II.1": kpis["II.1"], "chi_phi": kpis["total_cost_vnd"],
           "dat_II1": bool(kpis["II.1"] >= target_for("II.1", 2020)[0])}
### END SOLUTION
'''),
            test("kiem-tra-kich-ban", 5, '''
from simulator.grading.values import require_answers
require_answers(tra_loi, ["II.1", "chi_phi", "dat_II1"])
### BEGIN HIDDEN TESTS
from simulator.grading import grade_scenario
from simulator.lab import trainee_id
grade_scenario(trainee_id(), tra_loi).award(5)
### END HIDDEN TESTS
'''),
        )),
        Assignment("02-so-sanh-trung-thuc", "Lặp lại và so sánh trung thực", (
            md("gioi-thieu", "# Bài 2. So sánh hai kịch bản\n\nMột lần chạy chưa nói được gì: phải **lặp lại** và so "
               "sánh **ghép cặp** (cùng dòng số ngẫu nhiên) với khoảng tin cậy 95%. Khác biệt có ý nghĩa khi khoảng "
               "tin cậy không chứa 0."),
            setup("nhiem-vu", task),
            md("huong-dan", "## Việc cần làm\n\nSo sánh `baseline-2018` (A) với `plan-2020` (B) về tổng chi phí "
               "(`total_cost_vnd`) bằng `compare(A, B, n=3, seed=nhiem_vu[\"seed\"], days=nhiem_vu[\"ngay\"], "
               "keys=[\"total_cost_vnd\"])`. Điền `chenh_lech` (trung bình B − A ghép cặp), `khoang_tin_cay` (tuple "
               "`(thấp, cao)`) và `co_y_nghia` (`True`/`False`)."),
            answer("tra-loi", '''
tra_loi = {"chenh_lech": None, "khoang_tin_cay": None, "co_y_nghia": None}
### BEGIN SOLUTION
from simulator.flows import Scenario, compare
d = compare(Scenario.load(KICH_BAN / "baseline-2018.yaml"), Scenario.load(KICH_BAN / "plan-2020.yaml"), n=3,
            seed=nhiem_vu["seed"], days=nhiem_vu["ngay"], keys=["total_cost_vnd"])[0]
tra_loi = {"chenh_lech": d.paired.mean, "khoang_tin_cay": (d.paired.low, d.paired.high),
           "co_y_nghia": bool(not (d.paired.low <= 0 <= d.paired.high))}
### END SOLUTION
'''),
            test("kiem-tra-so-sanh", 5, '''
from simulator.grading.values import require_answers
require_answers(tra_loi, ["chenh_lech", "khoang_tin_cay", "co_y_nghia"])
### BEGIN HIDDEN TESTS
from simulator.grading import grade_comparison
from simulator.lab import trainee_id
grade_comparison(trainee_id(), tra_loi).award(5)
### END HIDDEN TESTS
'''),
        )),
        Assignment("03-lo-trinh-2020", "Lộ trình đạt chỉ tiêu 2020 với chi phí thấp nhất", (
            md("gioi-thieu", "# Bài 3. Lộ trình 2020 và báo cáo quý\n\nĐề xuất thay đổi các thông số của "
               "`plan-2020` (ví dụ `adoption.interagency.electronic`) sao cho đạt các chỉ tiêu I.1, II.1, III.1, II.4, "
               "IV.3 năm 2020 **mà không tốn hơn** `plan-2020`, rồi lập báo cáo quý (Sở Thông tin và Truyền thông báo "
               "cáo UBND tỉnh hằng quý)."),
            setup("nhiem-vu", task),
            md("huong-dan", "## Việc cần làm\n\nĐiền `thay_doi` (dict: tên thông số → giá trị) và `bao_cao` = "
               "`quarterly_report(ket_qua)` với `ket_qua = run_replications(ke_hoach, 2, nhiem_vu[\"seed\"], "
               "days=nhiem_vu[\"ngay\"])`, trong đó `ke_hoach = Scenario.load(KICH_BAN / \"plan-2020.yaml\")"
               ".override(thay_doi)`."),
            answer("tra-loi", '''
tra_loi = {"thay_doi": None, "bao_cao": None}
### BEGIN SOLUTION
from simulator.flows import Scenario, quarterly_report, run_replications
thay_doi = {"adoption.interagency.electronic": 1.0, "adoption.interagency.electronic_with_paper": 0.0,
            "adoption.interagency.digital_signature": 1.0}
ke_hoach = Scenario.load(KICH_BAN / "plan-2020.yaml").override(thay_doi)
ket_qua = run_replications(ke_hoach, 2, nhiem_vu["seed"], days=nhiem_vu["ngay"])
tra_loi = {"thay_doi": thay_doi, "bao_cao": quarterly_report(ket_qua)}
### END SOLUTION
'''),
            test("kiem-tra-lo-trinh", 5, '''
from simulator.grading.values import require_answers
require_answers(tra_loi, ["thay_doi", "bao_cao"])
### BEGIN HIDDEN TESTS
from simulator.grading import grade_rollout
from simulator.lab import trainee_id
grade_rollout(trainee_id(), tra_loi).award(5)
### END HIDDEN TESTS
'''),
        )),
    ]


COURSES = {"can-bo-xa": _clerk, "quan-tri": _admin, "ke-hoach": _planner}


def assignments(course: str) -> list[Assignment]:
    return COURSES[course]()


def notebook(assignment: Assignment) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=list(assignment.cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["title"] = assignment.title
    return nb


def write_sources(courses_root: str | Path, course: str | None = None) -> list[Path]:
    """Write every source notebook (deterministic ids, so rewriting changes nothing)."""
    written = []
    for name in ([course] if course else list(COURSES)):
        for assignment in assignments(name):
            nb = notebook(assignment)
            for n, cell in enumerate(nb.cells):
                cell["id"] = f"{assignment.name[:2]}-{n:02d}-{cell.metadata['nbgrader']['grade_id']}"[:64]
            path = Path(courses_root) / name / "source" / assignment.name / f"{assignment.name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)
            written.append(path)
    return written
