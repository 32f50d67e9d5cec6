#include "scheduler/dag_graph.h"

#include <algorithm>
#include <queue>
#include <string>
#include <unordered_map>

namespace sluice {
namespace {

using Graph = std::vector<std::vector<size_t>>;

// Tarjan's strongly connected components, iteratively so a long chain cannot overflow the
// stack. Returns each node's component number.
std::vector<size_t> StronglyConnectedComponents(const Graph& graph) {
  constexpr size_t kUnvisited = static_cast<size_t>(-1);
  const size_t n = graph.size();
  std::vector<size_t> index(n, kUnvisited), low(n, 0), component(n, kUnvisited);
  std::vector<bool> on_stack(n, false);
  std::vector<size_t> stack;
  std::vector<std::pair<size_t, size_t>> call;  // (node, next edge to look at)
  size_t next_index = 0, next_component = 0;
  for (size_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    call.push_back({root, 0});
    while (!call.empty()) {
      auto& [node, edge] = call.back();
      if (edge == 0 && index[node] == kUnvisited) {
        index[node] = low[node] = next_index++;
        stack.push_back(node);
        on_stack[node] = true;
      }
      if (edge < graph[node].size()) {
        const size_t next = graph[node][edge++];
        if (index[next] == kUnvisited) {
          call.push_back({next, 0});
        } else if (on_stack[next]) {
          low[node] = std::min(low[node], index[next]);
        }
        continue;
      }
      if (low[node] == index[node]) {
        size_t member;
        do {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          component[member] = next_component;
        } while (member != node);
        ++next_component;
      }
      const size_t finished = node;
      call.pop_back();
      if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[finished]);
    }
  }
  return component;
}

// A shortest path back to `start` inside its component (breadth-first), as a cycle.
std::vector<size_t> ShortestCycleThrough(const Graph& graph, const std::vector<size_t>& component,
                                         size_t start) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<size_t> parent(graph.size(), kNone);
  std::queue<size_t> queue;
  queue.push(start);
  while (!queue.empty()) {
    const size_t node = queue.front();
    queue.pop();
    for (size_t next : graph[node]) {
      if (component[next] != component[start]) continue;
      if (next == start) {
        std::vector<size_t> cycle;
        for (size_t at = node; at != kNone; at = parent[at]) cycle.push_back(at);
        std::reverse(cycle.begin(), cycle.end());
        return cycle;
      }
      if (parent[next] == kNone && next != start) {
        parent[next] = node;
        queue.push(next);
      }
    }
  }
  return {};
}

}  // namespace

std::vector<std::vector<size_t>> DependencyIndexes(const DagSpec& dag) {
  std::unordered_map<std::string, size_t> by_id;
  by_id.reserve(dag.tasks.size());
  for (size_t i = 0; i < dag.tasks.size(); ++i) by_id.emplace(dag.tasks[i].id, i);
  Graph graph(dag.tasks.size());
  for (size_t i = 0; i < dag.tasks.size(); ++i) {
    for (const std::string& dependency : dag.tasks[i].depends_on) {
      if (auto found = by_id.find(dependency); found != by_id.end()) {
        graph[i].push_back(found->second);
      }
    }
  }
  return graph;
}

std::vector<size_t> TopologicalOrder(const DagSpec& dag) {
  const Graph depends_on = DependencyIndexes(dag);
  const size_t n = depends_on.size();
  Graph dependents(n);
  std::vector<size_t> waiting_for(n, 0);
  for (size_t task = 0; task < n; ++task) {
    for (size_t dependency : depends_on[task]) {
      dependents[dependency].push_back(task);
      ++waiting_for[task];
    }
  }
  // A min-heap keeps ready tasks in file order, so the order is stable across loads.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t task = 0; task < n; ++task) {
    if (waiting_for[task] == 0) ready.push(task);
  }
  std::vector<size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    const size_t task = ready.top();
    ready.pop();
    order.push_back(task);
    for (size_t dependent : dependents[task]) {
      if (--waiting_for[dependent] == 0) ready.push(dependent);
    }
  }
  return order;
}

std::vector<std::vector<size_t>> FindCycles(const DagSpec& dag) {
  Graph graph = DependencyIndexes(dag);
  for (size_t task = 0; task < graph.size(); ++task) {
    auto& edges = graph[task];
    edges.erase(std::remove(edges.begin(), edges.end(), task), edges.end());
  }
  std::vector<std::vector<size_t>> cycles;
  // Each round reports one cycle per component that still has one, then breaks it by
  // removing its closing edge; bounded by the number of edges.
  while (true) {
    const std::vector<size_t> component = StronglyConnectedComponents(graph);
    std::vector<size_t> component_size(graph.size(), 0);
    for (size_t c : component) ++component_size[c];
    std::vector<bool> done(graph.size(), false);
    bool found = false;
    for (size_t start = 0; start < graph.size(); ++start) {
      const size_t c = component[start];
      if (component_size[c] < 2 || done[c]) continue;
      done[c] = true;
      std::vector<size_t> cycle = ShortestCycleThrough(graph, component, start);
      if (cycle.empty()) continue;
      auto& closing = graph[cycle.back()];
      closing.erase(std::find(closing.begin(), closing.end(), cycle.front()));
      cycles.push_back(std::move(cycle));
      found = true;
    }
    if (!found) break;
  }
  return cycles;
}

}  // namespace sluice
