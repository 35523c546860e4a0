"""nbgrader configuration of the course "Lập kế hoạch: mô phỏng lộ trình gửi, nhận văn bản điện tử" (ke-hoach).

Run nbgrader from this folder, or use ``vbdt course ...`` which reads this file.
"""

from simulator.grading.nbgrader_settings import apply

c = get_config()  # noqa: F821 (provided by nbgrader)
apply(c, "ke-hoach", "# VIẾT MÃ CỦA ANH/CHỊ VÀO ĐÂY.")
