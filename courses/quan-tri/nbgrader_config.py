"""nbgrader configuration of the course "Quản trị hệ thống: chứng thư số, mã định danh, trục liên thông, lưu trữ" (quan-tri).

Run nbgrader from this folder, or use ``vbdt course ...`` which reads this file.
"""

from simulator.grading.nbgrader_settings import apply

c = get_config()  # noqa: F821 (provided by nbgrader)
apply(c, "quan-tri", "# VIẾT MÃ CỦA ANH/CHỊ VÀO ĐÂY (hoặc làm trên bảng điều khiển ở trên).")
