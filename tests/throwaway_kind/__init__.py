"""A kind of submission declared by the tests alone ("Báo cáo kết quả tuyên truyền", thử nghiệm): the minimal
example of README "Adding a new kind of submission", and the proof that tracking, the compliance matrix,
reminders, the dashboard and document composition find a kind through the registries with no other code
(tests/throwaway_kind/test_found_everywhere.py). Installed by tests/settings.py only, never when the portal
serves."""
