"""Every domain number in one place (DESIGN.md §3: no scattered literals)."""

from __future__ import annotations

from datetime import date as _date
from decimal import Decimal as _Decimal
from typing import Final

# Pagination
DEFAULT_PAGE_SIZE: Final = 50
MAX_PAGE_SIZE: Final = 500

# Authentication
SERVICE_TOKEN_PREFIX: Final = "vgs_"  # noqa: S105 - a prefix, not a secret
SERVICE_TOKEN_SECRET_BYTES: Final = 32
MIN_PASSWORD_LENGTH: Final = 8
# Login throttling (per account name, known or not, and per client IP; counts shared through the rate-limit
# storage). This many failures within the window lock the name out; each lockout of the same name within
# LOGIN_LOCKOUT_MEMORY_SECONDS of the previous one's end lasts twice as long as that one, up to the cap.
# A successful login clears the name's failures and lockout history. An IP is refused for a fixed window.
LOGIN_FAILURE_WINDOW_SECONDS: Final = 15 * 60
LOGIN_MAX_ACCOUNT_FAILURES: Final = 5
LOGIN_LOCKOUT_BASE_SECONDS: Final = 5 * 60
LOGIN_LOCKOUT_MAX_SECONDS: Final = 60 * 60
LOGIN_LOCKOUT_MEMORY_SECONDS: Final = 24 * 60 * 60
LOGIN_MAX_IP_FAILURES: Final = 30
LOGIN_IP_LOCKOUT_SECONDS: Final = 15 * 60

# HTTP: Strict-Transport-Security max-age, sent on https responses only (a year, as browsers' preload
# lists expect).
HSTS_MAX_AGE_SECONDS: Final = 365 * 24 * 60 * 60

# Attachments (uploaded study materials, visit photos): the largest file accepted, and the types accepted,
# by file-name extension → the media type its content must sniff as (text is checked by decoding instead).
ATTACHMENT_MAX_BYTES: Final = 10 * 1024 * 1024
ATTACHMENT_TYPES: Final[dict[str, str]] = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain",
}

# Webhooks (signed per the Standard Webhooks spec). A failed delivery is retried after each of these delays
# in turn, then marked failed (about 1.3 days in all); an endpoint gets this long to answer.
WEBHOOK_RETRY_DELAYS_SECONDS: Final[tuple[int, ...]] = (60, 300, 1_800, 7_200, 21_600, 86_400)
WEBHOOK_TIMEOUT_SECONDS: Final = 10.0
WEBHOOK_DELIVERY_BATCH: Final = 50  # deliveries one worker pass takes
WEBHOOK_SECRET_BYTES: Final = 32

# Bulk imports (CSV/XLSX): the largest file and the most data rows one import takes (a county's roll of
# 100,000 members is about 5 MB as XLSX, 9 MB as CSV); rows validated and written together; how long an
# upload is kept (encrypted) so its bad rows can be downloaded to fix.
IMPORT_MAX_BYTES: Final = 32 * 1024 * 1024
IMPORT_MAX_ROWS: Final = 200_000
IMPORT_CHUNK_ROWS: Final = 1_000
IMPORT_FILE_KEEP_DAYS: Final = 7
# A request to a route that takes a file may be this large: the largest upload we take, and a margin for
# the multipart framing and form fields (each route then checks its own file's size).
UPLOAD_MAX_REQUEST_BYTES: Final = max(ATTACHMENT_MAX_BYTES, IMPORT_MAX_BYTES) + 1024 * 1024

# Jobs (imports, recomputations): progress is written at most this often; a job whose worker runs on
# another host counts as interrupted when its heartbeat (last progress) is older than this; the list shows
# at most this many days back.
JOB_PROGRESS_WRITE_SECONDS: Final = 0.5
JOB_STALE_MINUTES: Final = 30
JOB_SHUTDOWN_WAIT_SECONDS: Final = 30.0  # an app stopping lets running jobs finish this long

# Idempotency-Key on POSTs (IETF httpapi draft): how long a key's first response is kept for replays;
# when a request still marked in flight counts as abandoned (its worker died) so a retry may run; the
# longest key; and the largest response stored (bigger ones are not replayable: the key is released).
IDEMPOTENCY_KEY_TTL_HOURS: Final = 24
IDEMPOTENCY_IN_FLIGHT_TIMEOUT_SECONDS: Final = 300
IDEMPOTENCY_KEY_MAX_LENGTH: Final = 255
IDEMPOTENCY_MAX_STORED_BODY_BYTES: Final = 1024 * 1024
# Requests with a key are read whole to fingerprint them: at most the largest upload we take.
IDEMPOTENCY_MAX_REQUEST_BYTES: Final = UPLOAD_MAX_REQUEST_BYTES

# Member statistics
# Age bands in whole years on the reporting date, as (key, oldest age in the band); the last band is open.
STATS_AGE_BANDS: Final[tuple[tuple[str, int | None], ...]] = (
    ("35_and_under", 35),
    ("36_to_45", 45),
    ("46_to_60", 60),
    ("over_60", None),
)
# Join decades by `probationary_on` (the 入党时间): one bucket per decade from this one to the current
# decade (the last is open-ended); earlier joins share one `before_<year>` bucket.
STATS_FIRST_JOIN_DECADE: Final = 1950
STATS_UNKNOWN_BUCKET: Final = "unknown"
# Reporting dates (`as_of`) the statistics accept, as a range of years.
STATS_AS_OF_YEARS: Final = (1950, 2100)

# Dues (党费): 关于中国共产党党费收缴、使用和管理的规定 (中组发〔2008〕3号), in force from 2008-04-01.

DUES_RULES_IN_FORCE_FROM: Final = _date(2008, 4, 1)  # bases before this month are refused
# Monthly dues on after-tax income, as (inclusive upper bound of the income band, rate); None = no bound.
# The whole income is charged at its band's rate: 3,200 → 1% → 32.00; 3,000 → 0.5% → 15.00.
DUES_EMPLOYED_BANDS: Final[tuple[tuple[_Decimal | None, _Decimal], ...]] = (
    (_Decimal("3000"), _Decimal("0.005")),
    (_Decimal("5000"), _Decimal("0.01")),
    (_Decimal("10000"), _Decimal("0.015")),
    (None, _Decimal("0.02")),
)
DUES_RETIRED_BANDS: Final[tuple[tuple[_Decimal | None, _Decimal], ...]] = (
    (_Decimal("5000"), _Decimal("0.005")),
    (None, _Decimal("0.01")),
)
DUES_RURAL_MIN_MONTHLY: Final = _Decimal("0.20")  # farmers choose 0.2-1 yuan a month
DUES_RURAL_MAX_MONTHLY: Final = _Decimal("1.00")
DUES_FLAT_MONTHLY: Final = _Decimal("0.20")  # students, laid-off workers, minimum-allowance recipients
# 党章 Art. 9: six months in a row without paying dues, without good reason, counts as leaving the Party;
# the arrears list flags members who reach it so the branch can act (it never changes status itself).
DUES_LAPSE_MONTHS: Final = 6
# Our defaults, not from the 2008 rules: how far ahead a month may be prepaid (the rules allow paying
# quarterly with the branch's consent), and the longest reduction granted at once (reviewed yearly).
DUES_MAX_PREPAY_MONTHS: Final = 12
DUES_MAX_REDUCTION_MONTHS: Final = 12
# The arrears list scans members in id order, this many per query and at most this many per request;
# a page may then hold fewer items than asked for, with a cursor to continue.
DUES_ARREARS_SCAN_BATCH: Final = 500
DUES_ARREARS_SCAN_BUDGET: Final = 5000

# Development of members (发展党员: 中国共产党发展党员工作细则, 2014; DESIGN.md §3)
DEV_MIN_APPLICANT_AGE_YEARS: Final = 18  # 年满十八岁 may apply (on the 18th birthday itself)
DEV_TALK_WITHIN_MONTHS: Final = 1  # the org talks with the applicant within one month of the application
DEV_MIN_MENTORS: Final = 1  # 指定一至两名正式党员作培养联系人
DEV_MAX_MENTORS: Final = 2
# 一年以上培养教育和考察 before becoming a candidate; 以上 includes the year, so the anniversary counts.
DEV_MIN_ACTIVIST_YEARS: Final = 1
DEV_INTRODUCERS: Final = 2  # 两名正式党员作入党介绍人
DEV_MIN_TRAINING_HOURS: Final = 24  # candidates' short concentrated training: at least 24 class hours…
DEV_MIN_TRAINING_DAYS: Final = 3  # …or at least three days
# 公示 before the branch meeting votes: calendar days, both ends counted. A common local rule, not the 细则's.
DEV_MIN_PUBLIC_NOTICE_DAYS: Final = 5
DEV_QUORUM_SHARE: Final = (1, 2)  # voters present must be MORE than this share of those entitled to vote
DEV_MAJORITY_SHARE: Final = (1, 2)  # votes for must be MORE than this share of those entitled to vote
DEV_APPROVAL_WITHIN_MONTHS: Final = 3  # the superior committee approves within three months of the meeting
DEV_PROBATION_YEARS: Final = 1  # probation runs one year from the branch meeting that admitted them
DEV_MIN_EXTENSION_MONTHS: Final = 6  # 延长预备期: not less than half a year…
DEV_MAX_EXTENSION_MONTHS: Final = 12  # …and at most one year
DEV_MAX_EXTENSIONS: Final = 1  # probation may be extended once
DEV_DUE_SOON_DAYS: Final = 30  # default look-ahead of the "due soon" list
DEV_DUE_SOON_MAX_DAYS: Final = 366

# Study (学习教育: 三会一课, trainings, 凡训必考)
STUDY_MAX_HOURS_PER_ACTIVITY: Final = 80  # a multi-day training class at most; one meeting is far less
STUDY_MAX_MAKEUP_HOURS: Final = 24
STUDY_MAX_EXAM_SCORE: Final = 1000
STUDY_MAX_BULK: Final = 500  # rows per bulk attendance / scores request
STUDY_MAX_EXPECTED: Final = 2000  # members on an activity's explicit list of expected attendees
STUDY_MAX_ATTACHMENTS: Final = 20  # uploaded files on one activity or study report
# 述学/评学: report and comment lengths, the first year a report may cover, and the points scoring gives
# each grade (keys are study.models.ReportGrade values; our defaults, configurable here).
STUDY_REPORT_MAX_CHARS: Final = 5000
STUDY_REPORT_MAX_COMMENT_CHARS: Final = 1000
STUDY_REPORT_FIRST_YEAR: Final = 2000
STUDY_REPORT_GRADE_POINTS: Final[dict[str, int]] = {"excellent": 10, "good": 8, "fair": 6, "poor": 0}
# Organisation life (组织生活, 中国共产党支部工作条例（试行）, 2018; DESIGN.md §3), as
# (activity kind, period "month" | "quarter", fewest held per period, org kinds it binds, fewest Party
# members for it to bind). 支委会 binds only branches with a committee: 党员7人以上的党支部设立支部委员会.
STUDY_FREQUENCY_RULES: Final[tuple[tuple[str, str, int, tuple[str, ...], int], ...]] = (
    ("branch_meeting", "quarter", 1, ("branch",), 0),  # 支部党员大会: usually quarterly
    ("committee_meeting", "month", 1, ("branch",), 7),  # 支委会: usually monthly
    ("group_meeting", "month", 1, ("group",), 0),  # 党小组会: usually monthly
    ("party_lecture", "quarter", 1, ("branch",), 0),  # 党课: at least quarterly
)
# Meetings the whole roll is expected at, so their attendance rate means something; 支委会 is left out
# (its attendees are the committee, not the roll).
STUDY_ATTENDANCE_KINDS: Final = ("branch_meeting", "group_meeting", "party_lecture", "theme_day")
# 党员每年集中学习培训时间一般不少于32学时 (中国共产党党员教育管理工作条例, 2019).
STUDY_MIN_ANNUAL_HOURS: Final = _Decimal("32")
STUDY_COMPLIANCE_YEARS: Final = (2000, 2100)  # years (and as_of dates) the compliance report accepts

# Pairing (结对帮扶). Our defaults, configurable here: active pairs a helper / a beneficiary may have at once,
# and the days a must-visit task (四必访) has from the event to the visit, per event type.
PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER: Final = 5
PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY: Final = 2
# User accounts that may be a pair's helper (干部联系党员/群众): cadres, by core.permissions.Role value.
PAIRING_CADRE_HELPER_ROLES: Final = ("admin", "org_admin", "secretary")
# The XLSX ledger (台账) export: the most pairs one file holds (the caller narrows by org or year beyond it).
PAIRING_LEDGER_MAX_PAIRS: Final = 5000
PAIRING_MAX_VISIT_PHOTOS: Final = 20  # photos (image attachments) on one visit
PAIRING_MUST_VISIT_DUE_DAYS: Final[dict[str, int]] = {
    "hardship": 7,
    "illness": 3,
    "family_dispute": 3,
    "wedding_funeral": 3,
}

# Complaints (群众诉求台账; DESIGN.md §3, 信访工作条例 practice). Calendar days; each may be overridden per
# category (a category without an override inherits its parent's, then these defaults).
COMPLAINTS_ACCEPT_DAYS: Final = 15  # decide acceptance within 15 days of receipt
COMPLAINTS_HANDLE_DAYS: Final = 60  # handle within 60 days of acceptance
COMPLAINTS_EXTENSION_MAX_DAYS: Final = 30  # one extension of up to 30 days
COMPLAINTS_MAX_EXTENSIONS: Final = 1
# Our defaults: days a reopened item has to be handled again; days after resolution without a rating
# after which the item may be closed (销号) anyway; ratings at or below this reopen the item; ratings at
# or above this count as satisfied in the satisfaction rate.
COMPLAINTS_REOPEN_HANDLE_DAYS: Final = 30
COMPLAINTS_SILENCE_DAYS: Final = 15
COMPLAINTS_REOPEN_MAX_RATING: Final = 2
COMPLAINTS_SATISFIED_MIN_RATING: Final = 4
COMPLAINTS_TREND_MAX_MONTHS: Final = 36  # the monthly trend reaches back at most three years
COMPLAINTS_TRACKING_CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
COMPLAINTS_TRACKING_CODE_LENGTH: Final = 12  # 31^12 ≈ 7.9e17 codes: not guessable at any rate limit
COMPLAINTS_SWEEP_BATCH: Final = 500  # overdue items marked per flush by the sweep
COMPLAINTS_OPEN311_MAX_REQUESTS: Final = 1000  # GeoReport v2: at most 1000 requests per list…
COMPLAINTS_OPEN311_DEFAULT_DAYS: Final = 90  # …and the last 90 days when no dates are given

# Petitions (党员申诉、检举、控告、批评建议; 中国共产党党员权利保障条例 practice, as for complaints), calendar
# days: the handling org decides acceptance within this many days of filing and answers within this many
# days of accepting; an answered petition the filer leaves open the handling org may close after the last.
PETITIONS_ACCEPT_DAYS: Final = 15
PETITIONS_ANSWER_DAYS: Final = 60
PETITIONS_FILER_CLOSE_DAYS: Final = 15

# Scoring (党员积分, 民主评议, 星级; DESIGN.md §2–§3). Our defaults; each scheme may override weights,
# thresholds and the cap. Weights are decimals that must sum to exactly 1.
# The composite = points weight × points component (0–100) + evaluation weight × evaluation component (0–100).
SCORING_COMPONENT_WEIGHTS: Final[dict[str, str]] = {"points": "0.4", "evaluation": "0.6"}
# 民主评议 rater groups; the masses' weight raised (三维评价), as the issue asks.
SCORING_RATER_WEIGHTS: Final[dict[str, str]] = {
    "self": "0.1",
    "fellow": "0.25",
    "committee": "0.2",
    "superior": "0.15",
    "masses": "0.3",
}
SCORING_FULL_POINTS: Final = _Decimal(
    "100"
)  # points (automatic + manual) that make a points component of 100
# Grades by composite score: at least this for 优秀 / 合格 / 基本合格; below the last, 不合格.
SCORING_GRADE_THRESHOLDS: Final[dict[str, str]] = {"excellent": "90", "qualified": "70", "basic": "60"}
# 优秀 at most one third of those graded in a branch (rounded down); configurable per scheme.
SCORING_EXCELLENT_CAP: Final = (1, 3)
# A ballot may give a grade instead of a 0–100 score; the grade counts as this score.
SCORING_BALLOT_GRADE_SCORES: Final[dict[str, int]] = {
    "excellent": 95,
    "qualified": 80,
    "basic": 65,
    "unqualified": 40,
}
# Branch stars (星级): (stars, lowest average composite score); below the last, one star. A branch with
# complaints open past their deadline at recompute loses one star (never below one).
SCORING_STAR_THRESHOLDS: Final[tuple[tuple[int, int], ...]] = ((5, 90), (4, 80), (3, 70), (2, 60))
SCORING_MAX_RULES: Final = 100
SCORING_DISTRIBUTION_BAND: Final = 10  # score histogram: 0–10, 10–20 … 90–100 points
SCORING_MAX_POINTS_PER_UNIT: Final = _Decimal("1000")
SCORING_MAX_MANUAL_POINTS: Final = _Decimal("100")  # one bonus or deduction item
SCORING_MAX_TOKENS_PER_REQUEST: Final = 500  # masses' one-time tokens handed out at once
SCORING_TOKEN_BYTES: Final = 16
SCORING_RECOMPUTE_BATCH: Final = 2000  # members whose facts are fetched together (whole orgs per batch)
SCORING_FIRST_YEAR: Final = 2000
SCORING_FOLLOW_UP_MAX_DEADLINE_DAYS: Final = 366  # improvement deadline at most a year after the talk

# Exports (CSV/XLSX of any list): rows read per keyset page while streaming; memory holds one page.
EXPORT_CHUNK_ROWS: Final = 1000

# Early warning (社会风险早期预警; alerts). Our defaults, configurable here; `POST /alerts/run` may override
# the surge and near-duplicate numbers per run.
# Surge: per (handling org, category), complaints received on the tested China day against the previous
# ALERTS_SURGE_BASELINE_DAYS days (the tested day excluded). Fires when observed ≥ max(min_count,
# mean + z·σ), σ = max(std, √mean): the Poisson floor keeps a flat series (std 0) quiet.
ALERTS_SURGE_BASELINE_DAYS: Final = 28
ALERTS_SURGE_Z: Final = 3.0
ALERTS_SURGE_MIN_COUNT: Final = 5
# Near-duplicates: title + description, normalised, as character n-gram shingles; MinHash + LSH finds
# candidate pairs, exact Jaccard ≥ the threshold confirms them; groups within the window (days back from
# the tested day's end) and the caller's subtree. A group fires when one of its items arrived that day.
ALERTS_NGRAM_SIZES: Final[tuple[int, ...]] = (2, 3)
ALERTS_MINHASH_PERMUTATIONS: Final = 64
ALERTS_DUPLICATE_JACCARD: Final = 0.4
ALERTS_DUPLICATE_WINDOW_DAYS: Final = 30
ALERTS_DUPLICATE_MAX_ITEMS: Final = 200_000  # the most complaints one grouping pass reads
# Suggestion (category and responsible org for a new complaint): the k most similar past complaints that
# were accepted or went further (Jaccard ≥ the floor) vote, weighted by similarity, among the newest
# ALERTS_SUGGEST_MAX_PAST of the last ALERTS_SUGGEST_LOOKBACK_DAYS in the caller's subtree.
ALERTS_SUGGEST_NEIGHBOURS: Final = 5
ALERTS_SUGGEST_MIN_SIMILARITY: Final = 0.1
ALERTS_SUGGEST_LOOKBACK_DAYS: Final = 365
ALERTS_SUGGEST_MAX_PAST: Final = 5000
ALERTS_SUGGEST_MAX_TEXT: Final = 4000
ALERTS_MAX_ITEMS: Final = 500  # linked ids kept on one alert
# Members needing attention (per branch): no study attendance for this many months; dues owed for at
# least this many months; a pledge judged not kept (未践诺) due within the last this many months; a grade in
# this set in the latest published evaluation (scoring.models.Grade values).
ALERTS_NO_STUDY_MONTHS: Final = 3
ALERTS_ARREARS_MIN_MONTHS: Final = 1
ALERTS_PLEDGE_MONTHS: Final = 12
ALERTS_ATTENTION_GRADES: Final = ("basic", "unqualified")
# Members are scanned in batches, each costing the same few statements whatever its size; a batch big
# enough for a usual page keeps a page to one batch (tests/test_statement_counts.py holds us to it).
ALERTS_ATTENTION_SCAN_BATCH: Final = 2000
ALERTS_ATTENTION_SCAN_BUDGET: Final = 20000
