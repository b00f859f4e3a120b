#!/usr/bin/env python3
"""Writes Tests/Corpus/history/held-out.ndjson: a fixed, held-out corpus for replay and the rule-set
pin (issue 23), made by varying the public sample's records field by field (grades, marks off the
scale, institutions and their spellings, language evidence, ages, statuses, declarations).
Deterministic: the same sample gives the same file. Run from the repository root."""
import json, random, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
sample = root.parent / "shared/examples/tgp-2026-sample/batch.ndjson"
records = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
rng = random.Random(23)
grades = ["A", "B", "C", "D", "F", "A+", "B-", "S", "Pass", "W", "合格", 95, 84, 71, 65, 40, "優", "良", "可", "不可",
          "Excellent", "Good", "Fair", "Fail", "AU", "Credit"]
institutions = [("Chulalongkorn University", "TH"), ("chulalongkorn univ.", "TH"), ("University of Bayreuth", "DE"),
                ("Bayreuth", "DE"), ("Technische Universität Berlin", "DE"), ("Universitas Indonesia", "ID"),
                ("Seoul National University", "KR"), ("Mid-Western University", "NP"), ("IIT Kharagpur", "IN"),
                ("Harvard University", "US"), ("Hanoi University of Science and Technology", "VN"), ("Tokyo Tech", "JP")]
languages = [[{"kind": "ielts", "score": 5.0}], [{"kind": "ielts", "score": 5.5}], [{"kind": "toefl_ibt", "score": 71}],
             [{"kind": "toeic", "score": 785}], [{"kind": "jlpt", "level": "N3"}], [{"kind": "jlpt", "level": "N1"}],
             [{"kind": "cefr", "language": "english", "level": "B1"}], [{"kind": "instruction_medium", "language": "english"}],
             [{"kind": "school_judgment", "language": "japanese"}], []]
statuses = ["none", "student", "permanent_resident", "long_term_resident", "other"]
out = []
for n in range(600):
    r = json.loads(json.dumps(records[n % len(records)]))
    r["applicant_id"] = f"H-{n:04d}"
    # A word of its own in every given name: the variants are different people (no duplicates).
    r["given_name"] = (r["given_name"] + " " + chr(65 + n % 26) + chr(97 + (n // 26) % 26) + "o").strip()
    kind = n % 7
    if kind == 0:
        for t in r["transcripts"]:
            for c in t["courses"]:
                c["grade"] = rng.choice(grades)
    elif kind == 1:
        name, country = rng.choice(institutions)
        r["affiliation"]["institution"], r["affiliation"]["country"] = name, country
    elif kind == 2:
        r["language"] = rng.choice(languages)
    elif kind == 3:
        year = rng.choice([1980, 1990, 1999, 2002, 2003, 2004, 2005])
        r["birth_date"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    elif kind == 4:
        r["japan_status"] = rng.choice(statuses)
        r["citizenships"] = rng.choice([["TH"], ["JP"], ["US"], ["CN", "JP"], ["KR"], ["BR"]])
    elif kind == 5:
        d = r["declarations"]
        d["will_learn_japanese"] = rng.random() < 0.8
        d["health_ok"] = rng.random() < 0.9
        d["active_military"] = rng.random() < 0.1
        d["support_at_enrollment"] = rng.choice([[], [], ["scholarship"], ["research_fund"]])
        d["prior_mext"] = rng.choice([[], [], ["master"], ["doctoral"]])
        d["employment_intent"] = rng.choice(["tokyo_company", "university_or_research", "public_organization", "none"])
    else:
        r["course"] = rng.choice(["master", "doctoral"])
        r["qualification"]["degree"] = rng.choice(["bachelor", "master", "none"])
        r["documents"] = r["documents"][: rng.randint(3, len(r["documents"]))]
    out.append(json.dumps(r, ensure_ascii=False))
(root / "Tests/Corpus/history/held-out.ndjson").write_text("\n".join(out) + "\n", encoding="utf-8")
print(f"wrote {len(out)} records", file=sys.stderr)
