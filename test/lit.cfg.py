# lit configuration: every test is a small driver compiled against the real
# headers of one prepared kernel tree (--param kernel=6.12 or 6.1), with the
# flags Kbuild hands a checker (recorded by scripts/prepare-kernels.sh).
import os
import lit.formats

site = lit_config.params.get("site")
if site:
    lit_config.load_config(config, site)

kernel = lit_config.params.get("kernel", "6.12")
config.name = "kdlint-linux-" + kernel
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs", "kbuild-probe", "unit", "integration", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)

# The result cache is on by default: tests get a directory of their own,
# emptied when lit starts, so no result of an earlier build or run is used
# (tests of the cache itself pass --cache-dir).
import shutil
xdg = os.path.join(os.path.dirname(config.kdlint), "test", "xdg-cache-" + kernel +
                   ("-rt" if lit_config.params.get("facts_roundtrip") == "1" else ""))
shutil.rmtree(xdg, ignore_errors=True)
os.makedirs(xdg, exist_ok=True)
config.environment["XDG_CACHE_HOME"] = xdg

# --param facts_roundtrip=1: every TU is analysed from the JSON round trip of
# its facts (lib/FactsIO.cpp), which must carry everything the checks read.
if lit_config.params.get("facts_roundtrip") == "1":
    config.name += "-facts-roundtrip"
    config.environment["KDLINT_FACTS_ROUNDTRIP"] = "1"

# A real one-node Slurm for test/driver/slurm.test, where its programs exist.
if all(shutil.which(p) for p in ("slurmctld", "slurmd", "sbatch", "squeue", "munged")):
    config.available_features.add("slurm")
else:
    lit_config.note("Slurm test skipped: slurmctld, slurmd, sbatch or munged not installed "
                    "(Debian: slurmctld slurmd slurm-client munge)")

flags_file = os.path.join(config.kdlint_cache, "kbuild-%s.flags" % kernel)
if not os.path.exists(flags_file):
    lit_config.fatal("%s is missing: run scripts/prepare-kernels.sh %s" % (flags_file, kernel))
with open(flags_file) as f:
    lines = [l.rstrip("\n") for l in f if l.strip()]
kdir, flags = lines[0], lines[1:]


def q(a):
    return "'" + a.replace("'", "'\\''") + "'"


# %kdlint-kbuild FILE: kdlint exactly as `make C=1 CHECK=kdlint` runs it (from
# the kernel tree, sparse's flags then the compiler's, then the file).
config.substitutions.append(
    ("%kdlint-kbuild", "cd %s && %s %s" % (q(kdir), config.kdlint, " ".join(q(a) for a in flags))))
config.substitutions.append(("%kdlint", config.kdlint))
config.substitutions.append(("%kdir", kdir))
config.substitutions.append(("%kflags", " ".join(q(a) for a in flags)))
config.substitutions.append(("%kbuild-flags-file", flags_file))
config.substitutions.append(("FileCheck", config.filecheck))
config.substitutions.append(("%not", config.not_tool))

major, minor = (int(x) for x in kernel.split(".")[:2])
config.available_features.add("linux-" + kernel)
if (major, minor) >= (6, 5):
    config.available_features.add("cleanup-guards")  # linux/cleanup.h
if (major, minor) >= (6, 10):
    config.available_features.add("alloc-hooks")

# Microsoft's SARIF multitool (installed by scripts/install-deps.sh from npm).
multitool = os.path.join(config.kdlint_cache, "sarif", "node_modules", "@microsoft",
                         "sarif-multitool-linux", "Sarif.Multitool")
if os.access(multitool, os.X_OK):
    config.available_features.add("sarif-multitool")
    config.substitutions.append(
        ("%sarif-multitool", "env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 " + multitool))

# Debian's neovim (0.7: a built-in LSP client), for the editor test.
import shutil
if shutil.which("nvim"):
    config.available_features.add("nvim")
