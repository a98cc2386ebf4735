# docs/usage.md's recipe for make's jobserver: N shards, in two rounds (the
# second finds its slice cached, links every TU and does the link's second
# pass for its slice), then the run that links and reports reads only.
#   make -j3 -f shards.mk KDLINT=kdlint DB=build/ CACHE=/shared/cache SRC=drivers/
N := 3
SHARDS := $(shell seq $(N))
KD = $(KDLINT) -p $(DB) --cache-dir=$(CACHE)
all: $(SHARDS:%=round2-%)
$(SHARDS:%=round1-%): round1-%:
	$(KD) --shard=$*/$(N) $(SRC)
$(SHARDS:%=round2-%): round2-%: $(SHARDS:%=round1-%)
	$(KD) --shard=$*/$(N) $(SRC)
.PHONY: all $(SHARDS:%=round1-%) $(SHARDS:%=round2-%)
