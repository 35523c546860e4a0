"""nbgrader configuration of the course "Cán bộ, công chức cấp xã: văn bản điện tử và chữ ký số" (can-bo-xa).

Run nbgrader from this folder, or use ``vbdt course ...`` which reads this file.
"""

from simulator.grading.nbgrader_settings import apply

c = get_config()  # noqa: F821 (provided by nbgrader)
apply(c, "can-bo-xa", "# Anh/chị làm bài trên bàn làm việc ở trên; ô này chỉ để ghi chú, không bắt buộc viết mã.")
