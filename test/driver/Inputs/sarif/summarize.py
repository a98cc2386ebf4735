"""One line per SARIF result, for FileCheck: rule, place, function, message,
each related location, each fix, and the fingerprint's shape."""
import json, re, sys

log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", "not SARIF 2.1.0"
run = log["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
print("tool %s rules %d" % (run["tool"]["driver"]["name"], len(rules)))
print("srcroot %s" % run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "-"))


def place(pl):
    a, r = pl["artifactLocation"], pl["region"]
    base = a.get("uriBaseId", "")
    return "%s%s:%d:%d" % (base + "/" if base else "", a["uri"], r["startLine"], r.get("startColumn", 0))


for res in run["results"]:
    loc = res["locations"][0]
    fn = loc.get("logicalLocations", [{}])[0].get("name", "-")
    assert rules[res["ruleIndex"]] == res["ruleId"], "ruleIndex"
    fp = res["partialFingerprints"]["kdlintFingerprint/v1"]
    print("result %s %s in %s: %s" % (res["ruleId"], place(loc["physicalLocation"]), fn,
                                      res["message"]["text"]))
    print("  snippet: %s" % loc["physicalLocation"]["region"]["snippet"]["text"].strip())
    print("  fingerprint %s" % ("ok" if re.fullmatch("[0-9a-f]{32}", fp) else fp))
    for rel in res.get("relatedLocations", []):
        print("  related %d %s: %s" % (rel["id"], place(rel["physicalLocation"]), rel["message"]["text"]))
    flows = res.get("codeFlows", [])
    if flows:
        steps = flows[0]["threadFlows"][0]["locations"]
        print("  flow %s" % " -> ".join(place(s["location"]["physicalLocation"]).rsplit(":", 1)[0].split(":", 1)[1] for s in steps))
    for fix in res.get("fixes", []):
        for ch in fix["artifactChanges"]:
            for rep in ch["replacements"]:
                d = rep["deletedRegion"]
                print("  fix %s:%d:%d-%d:%d -> %s" % (ch["artifactLocation"]["uri"], d["startLine"],
                                                    d["startColumn"], d["endLine"], d["endColumn"],
                                                    rep["insertedContent"]["text"]))
print("results %d" % len(run["results"]))
