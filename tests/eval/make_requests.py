# Writes requests.json: the labeled requests of the planner's evaluation.
# Each request carries the plan a careful reader would make of it on
# Wednesday 13 August 2025 (words left to search, kinds, dates, mentioned or
# not, folder, size, name pattern, order), and the topics the wanted files
# have. The files expected for a request are the corpus files that the
# labels let through (crates/nook-corpus/src/dated.rs), computed by the
# runner (tests/it/eval.rs) from the labels, never from Nook's answer.
#
#   python3 tests/eval/make_requests.py > tests/eval/requests.json
import json

DOCS = ["pdf", "document"]
NOTES = ["text", "markdown"]
MB = 1_000_000
KB = 1_000

THIS_WEEK = ["2025-08-11", "2025-08-18"]
LAST_WEEK = ["2025-08-04", "2025-08-11"]
THIS_MONTH = ["2025-08-01", "2025-09-01"]
LAST_MONTH = ["2025-07-01", "2025-08-01"]
THIS_QUARTER = ["2025-07-01", "2025-10-01"]
LAST_QUARTER = ["2025-04-01", "2025-07-01"]
THIS_YEAR = ["2025-01-01", "2026-01-01"]
LAST_YEAR = ["2024-01-01", "2025-01-01"]
TODAY = ["2025-08-13", "2025-08-14"]
YESTERDAY = ["2025-08-12", "2025-08-13"]
MARCH = ["2025-03-01", "2025-04-01"]

def month(y, m):
    n = (y + (m // 12), m % 12 + 1)
    return [f"{y}-{m:02d}-01", f"{n[0]}-{n[1]:02d}-01"]

def year(y):
    return [f"{y}-01-01", f"{y + 1}-01-01"]

def quarter(y, q):
    start = (q - 1) * 3 + 1
    end = (y + 1, 1) if q == 4 else (y, start + 3)
    return [f"{y}-{start:02d}-01", f"{end[0]}-{end[1]:02d}-01"]

requests = []

def r(q, words=(), kinds=None, dates=None, mentioned=False, folder=None, size=None, name=None, order=None, topic=None):
    entry = {"request": q, "words": list(words)}
    if kinds is not None: entry["kinds"] = kinds
    if dates is not None: entry["dates"] = dates
    if mentioned: entry["mentioned"] = True
    if folder is not None: entry["folder"] = folder
    if size is not None: entry["size"] = size
    if name is not None: entry["name"] = name
    if order is not None: entry["order"] = order
    if topic is not None: entry["topic"] = topic
    requests.append(entry)

# The issue's own examples
r("reports from this quarter", ["reports"], kinds=DOCS, dates=THIS_QUARTER, topic=["report"])
r("the slides I made last week", kinds=["presentation"], dates=LAST_WEEK)
r("photos from the trip in March", ["trip"], kinds=["image"], dates=MARCH, topic=["trip"])
r("big videos in Downloads", kinds=["video"], folder="Downloads", size=[100 * MB, None], order="largest")
r("invoices from ACME", ["invoices", "acme"], topic=["invoice", "acme"])
r("documents that mention a deadline in May", ["deadline"], kinds=DOCS, dates=month(2025, 5), mentioned=True, topic=["deadline"])

# Kinds alone and with words
r("spreadsheets", kinds=["spreadsheet"])
r("all my presentations", kinds=["presentation"])
r("pdfs", kinds=["pdf"])
r("show me the pdf files", kinds=["pdf"])
r("word documents", kinds=["document"])
r("excel files", kinds=["spreadsheet"])
r("photos", kinds=["image"])
r("pictures", kinds=["image"])
r("videos", kinds=["video"])
r("music", kinds=["audio"])
r("songs", kinds=["audio"])
r("emails", kinds=["email"])
r("code", kinds=["code"])
r("source code", kinds=["code"])
r("archives", kinds=["archive"])
r("zip files", kinds=["archive"])
r("notes", kinds=NOTES)
r("web pages", kinds=["html"])
r("csv files", kinds=["data"])
r("markdown files", kinds=["markdown"])
r("screenshots", ["screenshots"], kinds=["image"], topic=["screenshot"])
r("reports", ["reports"], kinds=DOCS, topic=["report"])
r("sales reports", ["sales", "reports"], kinds=DOCS, topic=["report", "sales"])
r("the audit report", ["audit", "report"], kinds=DOCS, topic=["report", "audit"])
r("research reports about soil", ["research", "reports", "soil"], kinds=DOCS, topic=["report", "soil"])
r("pdfs and spreadsheets", kinds=["pdf", "spreadsheet"])
r("photos and videos", kinds=["image", "video"])
r("budget spreadsheets", ["budget"], kinds=["spreadsheet"], topic=["budget"])
r("slides about the product roadmap", ["product", "roadmap"], kinds=["presentation"], topic=["roadmap"])
r("python code for the garden", ["python", "garden"], kinds=["code"], topic=["python", "garden"])
r("rust code about search", ["rust", "search"], kinds=["code"], topic=["rust", "search"])
r("emails about my flight to Lisbon", ["flight", "lisbon"], kinds=["email"], topic=["flight", "lisbon"])
r("meeting notes", ["meeting"], kinds=NOTES, topic=["meeting"])
r("videos of the birthday party", ["birthday", "party"], kinds=["video"], topic=["birthday"])
r("podcast episodes", ["podcast", "episodes"], topic=["podcast"])
r("the backup zip", ["backup"], kinds=["archive"], topic=["backup"])

# Dates of the file
r("spreadsheets from this year", kinds=["spreadsheet"], dates=THIS_YEAR)
r("presentations from 2024", kinds=["presentation"], dates=year(2024))
r("documents from last month", kinds=DOCS, dates=LAST_MONTH)
r("photos from last year", kinds=["image"], dates=LAST_YEAR)
r("screenshots from this month", ["screenshots"], kinds=["image"], dates=THIS_MONTH, topic=["screenshot"])
r("videos from March", kinds=["video"], dates=MARCH)
r("emails from March", kinds=["email"], dates=MARCH)
r("code from this week", kinds=["code"], dates=THIS_WEEK)
r("notes from yesterday", kinds=NOTES, dates=YESTERDAY)
r("pdfs from yesterday", kinds=["pdf"], dates=YESTERDAY)
r("files from today", dates=TODAY)
r("what did I change today", ["change"], dates=TODAY)
r("files modified yesterday", dates=YESTERDAY)
r("documents from last week", kinds=DOCS, dates=LAST_WEEK)
r("files from this week", dates=THIS_WEEK)
r("slides from last quarter", kinds=["presentation"], dates=LAST_QUARTER)
r("reports from last quarter", ["reports"], kinds=DOCS, dates=LAST_QUARTER, topic=["report"])
r("reports from Q3 2024", ["reports"], kinds=DOCS, dates=quarter(2024, 3), topic=["report"])
r("reports from Q1", ["reports"], kinds=DOCS, dates=quarter(2025, 1), topic=["report"])
r("invoices from Q2 2025", ["invoices"], dates=quarter(2025, 2), topic=["invoice"])
r("photos from the first quarter of 2025", kinds=["image"], dates=quarter(2025, 1))
r("files from 2023", dates=year(2023))
r("documents from 2022", kinds=DOCS, dates=year(2022))
r("anything from 2024 about the board", ["board"], dates=year(2024), topic=["board"])
r("notes from the past 10 days", kinds=NOTES, dates=["2025-08-03", "2025-08-14"])
r("files changed in the last 3 days", dates=["2025-08-10", "2025-08-14"])
r("documents from the past two weeks", kinds=DOCS, dates=["2025-07-30", "2025-08-14"])
r("photos from the last 6 months", kinds=["image"], dates=["2025-02-13", "2025-08-14"])
r("spreadsheets from the past year", kinds=["spreadsheet"], dates=["2024-08-13", "2025-08-14"])
r("files since Monday", dates=["2025-08-11", None])
r("code since last Friday", kinds=["code"], dates=["2025-08-08", None])
r("documents since March", kinds=DOCS, dates=["2025-03-01", None])
r("pdfs since 2025-06-01", kinds=["pdf"], dates=["2025-06-01", None])
r("documents before 2024", kinds=DOCS, dates=[None, "2024-01-01"])
r("photos before March 2025", kinds=["image"], dates=[None, "2025-03-01"])
r("files after June", dates=["2025-07-01", None])
r("spreadsheets between 2024 and 2025", kinds=["spreadsheet"], dates=["2024-01-01", "2026-01-01"])
r("invoices between March and May", ["invoices"], dates=["2025-03-01", "2025-06-01"], topic=["invoice"])
r("files from May to July", dates=["2025-05-01", "2025-08-01"])
r("documents from January 2025", kinds=DOCS, dates=month(2025, 1))
r("notes from June", kinds=NOTES, dates=month(2025, 6))
r("emails from July 2025", kinds=["email"], dates=month(2025, 7))
r("files from September", dates=month(2024, 9))
r("files from November 2024", dates=month(2024, 11))
r("photos from November 30 2024", kinds=["image"], dates=["2024-11-30", "2024-12-01"])
r("files from March 15", dates=["2025-03-15", "2025-03-16"])
r("documents from 14 February", kinds=DOCS, dates=["2025-02-14", "2025-02-15"])
r("files from 2025-08-01", dates=["2025-08-01", "2025-08-02"])
r("files from 2025-07", dates=month(2025, 7))
r("videos from 3 days ago", kinds=["video"], dates=["2025-08-10", "2025-08-11"])
r("files from a week ago", dates=["2025-08-04", "2025-08-11"])
r("documents from two months ago", kinds=DOCS, dates=month(2025, 6))
r("photos from last summer", kinds=["image"], dates=["2024-06-01", "2024-09-01"])
r("videos from the summer of 2024", kinds=["video"], dates=["2024-06-01", "2024-09-01"])
r("files from last winter", dates=["2024-12-01", "2025-03-01"])
r("files from the weekend", dates=["2025-08-09", "2025-08-11"])
r("documents older than 2 years", kinds=DOCS, dates=[None, "2023-08-13"])
r("files newer than 5 days", dates=["2025-08-08", None])
r("photos from last Saturday", kinds=["image"], dates=["2025-08-09", "2025-08-10"])
r("files from Tuesday", dates=["2025-08-12", "2025-08-13"])
r("documents from this fiscal year", kinds=DOCS, dates=THIS_YEAR)
r("tax documents from last year", ["tax"], kinds=DOCS, dates=LAST_YEAR, topic=["tax"])
r("the lease from 2023", ["lease"], dates=year(2023), topic=["lease"])

# Dates written in the files
r("documents that mention a deadline in June", ["deadline"], kinds=DOCS, dates=month(2025, 6), mentioned=True, topic=["deadline"])
r("files that mention a deadline in September", ["deadline"], dates=month(2025, 9), mentioned=True, topic=["deadline"])
r("anything due in May", dates=month(2025, 5), mentioned=True, topic=["deadline"])
r("documents mentioning May 30", kinds=DOCS, dates=["2025-05-30", "2025-05-31"], mentioned=True)
r("deadlines mentioned for this year", ["deadlines"], dates=THIS_YEAR, mentioned=True, topic=["deadline"])

# Folders
r("files in Downloads", folder="Downloads")
r("pdfs in Downloads", kinds=["pdf"], folder="Downloads")
r("zip files in Downloads", kinds=["archive"], folder="Downloads")
r("videos in the Videos folder", kinds=["video"], folder="Videos")
r("code under projects", kinds=["code"], folder="projects")
r("everything under projects", folder="projects")
r("notes in my Desktop folder", kinds=NOTES, folder="Desktop")
r("photos in Lisbon trip", kinds=["image"], folder="Lisbon trip")
r("files in the Screenshots folder", folder="Screenshots")
r("documents in Documents", kinds=DOCS, folder="Documents")
r("spreadsheets in Documents from this year", kinds=["spreadsheet"], folder="Documents", dates=THIS_YEAR)
r("invoices in Downloads", ["invoices"], folder="Downloads", topic=["invoice"])
r("music in Music", kinds=["audio"], folder="Music")
r("files in the garden folder", folder="garden")
r("markdown under nook", kinds=["markdown"], folder="nook")
r("slides under work", kinds=["presentation"], folder="work")
r("pdfs under invoices from 2025", kinds=["pdf"], folder="invoices", dates=THIS_YEAR)
r("emails in Mail", kinds=["email"], folder="Mail")
r("files in Archive", folder="Archive")

# Sizes
r("files bigger than 1 GB", size=[1000 * MB, None])
r("videos larger than 500 MB", kinds=["video"], size=[500 * MB, None])
r("archives over 2GB", kinds=["archive"], size=[2000 * MB, None])
r("files smaller than 1 KB", size=[None, 1 * KB])
r("videos under 100 MB", kinds=["video"], size=[None, 100 * MB])
r("files between 10 and 50 MB", size=[10 * MB, 50 * MB])
r("audio at least 35 MB", kinds=["audio"], size=[35 * MB, None])
r("huge archives", kinds=["archive"], size=[100 * MB, None], order="largest")
r("big files in Downloads", folder="Downloads", size=[10 * MB, None], order="largest")
r("small photos", kinds=["image"], size=[None, 200 * KB], order="smallest")
r("big videos from this year", kinds=["video"], dates=THIS_YEAR, size=[100 * MB, None], order="largest")
r("files over 3 GB in Archive", folder="Archive", size=[3000 * MB, None])

# Names
r("files named invoice", name=["contains", "invoice"])
r("files called budget", name=["contains", "budget"])
r("photos starting with IMG_", kinds=["image"], name=["starts_with", "IMG_"])
r("files starting with Screenshot", name=["starts_with", "Screenshot"])
r("files ending in .csv", name=["ends_with", ".csv"])
r("files with extension md", name=["ends_with", ".md"])
r("*.rs files", name=["ends_with", ".rs"])
r(".mp4 files in Downloads", folder="Downloads", name=["ends_with", ".mp4"])
r("files with report in the name", name=["contains", "report"])
r('files named "sales-report"', name=["contains", "sales-report"])
r("pdfs named ACME from this year", kinds=["pdf"], dates=THIS_YEAR, name=["contains", "ACME"])
r("documents whose name contains plan", kinds=DOCS, name=["contains", "plan"])

# Orders
r("newest pdfs", kinds=["pdf"], order="newest")
r("pdfs, newest first", kinds=["pdf"], order="newest")
r("oldest documents", kinds=DOCS, order="oldest")
r("largest files first", order="largest")
r("biggest videos", kinds=["video"], order="largest")
r("smallest archives", kinds=["archive"], order="smallest")
r("spreadsheets sorted by date", kinds=["spreadsheet"], order="newest")
r("files in Downloads sorted by size", folder="Downloads", order="largest")
r("most recent invoices", ["invoices"], order="newest", topic=["invoice"])
r("latest meeting notes", ["meeting"], kinds=NOTES, order="newest", topic=["meeting"])
r("recent screenshots", ["screenshots"], kinds=["image"], order="newest", topic=["screenshot"])

# Words only
r("lisbon itinerary", ["lisbon", "itinerary"], topic=["itinerary"])
r("sourdough recipe", ["sourdough", "recipe"], topic=["sourdough"])
r("the lease agreement", ["lease", "agreement"], topic=["lease"])
r("letter to the council", ["letter", "council"], topic=["council"])
r("bank statement", ["bank", "statement"], topic=["bank"])
r("tax return", ["tax", "return"], topic=["tax"])
r("product roadmap", ["product", "roadmap"], topic=["roadmap"])
r("books I want to read", ["books", "read"], topic=["books"])
r("garden plan", ["garden", "plan"], topic=["garden", "plan"])
r("ubuntu iso", ["ubuntu", "iso"], topic=["ubuntu"])
r("the globex invoice", ["globex", "invoice"], topic=["globex"])
r("initech invoice", ["initech", "invoice"], topic=["initech"])
r("setup notes for the new laptop", ["setup", "new", "laptop"], kinds=NOTES, topic=["setup"])
r("soil moisture measurements", ["soil", "moisture", "measurements"], topic=["measurements"])
r("todo list", ["todo", "list"], topic=["todo"])

# Bad input that still makes a plan
r("files from February 30", dates=None)
r("documents after 2025 before 2024", kinds=DOCS)
r("les rapports de ce trimestre", ["les", "rapports", "de", "ce", "trimestre"])

print(json.dumps(requests, indent=1, ensure_ascii=False))
