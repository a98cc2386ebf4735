//===- Dataflow.h - The one forward dataflow solver -------------*- C++ -*-===//
//
// Both the context analysis (which atomic contexts are held) and the
// resource analysis (what is acquired and not yet released, per path) are
// forward dataflow problems over the same block facts. They share this
// solver: a worklist in reverse post-order, the join of every predecessor's
// state carried across its edge, a transfer per block, and a bound on the
// visits of a block (the lattices are finite in practice; the bound keeps a
// pathological function from running long). Each analysis then replays the
// blocks once from their entry states to record the state at every event.
//
//===----------------------------------------------------------------------===//

#ifndef KDLINT_DATAFLOW_H
#define KDLINT_DATAFLOW_H

#include "kdlint/Facts.h"
#include <deque>
#include <vector>

namespace kdlint {

/// The states at the entry and at the end of every block.
template <typename State> struct BlockStates {
  std::vector<State> In, Out;
};

/// The fixpoint of \p Problem over \p F's blocks. \p Problem provides:
///   State entry() const;                          // the function's entry
///   State edge(int From, unsigned SuccIdx, const State &OutOfFrom) const;
///   void join(State &Into, const State &From) const;
///   bool live(const State &S) const;              // reachable: worth a transfer
///   State transfer(int Block, State In) const;    // the block's effect
///   bool same(const State &A, const State &B) const;
template <typename State, typename Problem>
BlockStates<State> solveForward(const FunctionFacts &F, const Problem &P,
                                unsigned MaxVisits = 16) {
  std::vector<State> In(F.Blocks.size()), Out(F.Blocks.size());
  std::vector<unsigned> Visits(F.Blocks.size(), 0);
  std::deque<int> Work(F.Order.begin(), F.Order.end());
  std::vector<bool> Queued(F.Blocks.size(), true);
  while (!Work.empty()) {
    int B = Work.front();
    Work.pop_front();
    Queued[B] = false;
    State S = B == F.Entry ? P.entry() : State();
    for (int Pred : F.Blocks[B].Preds) {
      const BlockFacts &PB = F.Blocks[Pred];
      for (unsigned K = 0; K < PB.Succs.size(); ++K)
        if (PB.Succs[K] == B)
          P.join(S, P.edge(Pred, K, Out[Pred]));
    }
    In[B] = S;
    if (!P.live(S))
      continue;
    State O = P.transfer(B, std::move(S));
    if (P.same(O, Out[B]) || ++Visits[B] > MaxVisits)
      continue;
    Out[B] = std::move(O);
    for (int Succ : F.Blocks[B].Succs)
      if (Succ >= 0 && !Queued[Succ]) {
        Queued[Succ] = true;
        Work.push_back(Succ);
      }
  }
  return {std::move(In), std::move(Out)};
}

} // namespace kdlint

#endif
