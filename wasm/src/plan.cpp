// Compiles a selection into the per-member plans the filter walks (see plan.hpp).
#include "plan.hpp"

#include <algorithm>

namespace leastdata::detail {

const MemberPlan* Node::find(std::string_view name) const noexcept {
   if(named.size() <= 8) {
      for(const auto& [key, plan] : named) {
         if(key == name) {
            return plan;
         }
      }
      return wildcard;
   }
   auto it = std::lower_bound(named.begin(), named.end(), name,
                              [](const auto& entry, std::string_view n) { return entry.first < n; });
   return (it != named.end() && it->first == name) ? it->second : wildcard;
}

Result<const Action*> MemberPlan::action_for(std::uint64_t mask) const {
   if(mask == 0) {
      return static_cast<const Action*>(nullptr);
   }
   if(!conditional) {
      return unconditional;
   }
   std::lock_guard<std::mutex> lock(owner->m_lazy_mutex);
   if(auto it = cache.find(mask); it != cache.end()) {
      return it->second;
   }
   std::vector<const Rule*> subset;
   for(std::size_t i = 0; i != rules.size(); ++i) {
      if((mask >> i) & 1U) {
         subset.push_back(rules[i]);
      }
   }
   // A successful compile leaves m_error empty, so an error now is this combination's.
   const Action* action = owner->make_action(subset);
   if(owner->m_error) {
      Error error = std::move(*owner->m_error);
      owner->m_error.reset();
      return Error(error.code(),
                   error.message() + " (while compiling the rules that apply to one element of this input)");
   }
   cache.emplace(mask, action);
   return action;
}

Result<std::unique_ptr<Plan>> Plan::build(Selection selection) {
   std::unique_ptr<Plan> plan(new Plan());
   plan->m_selection = normalize(std::move(selection));
   plan->m_root_rule.whole = false;
   plan->m_root_rule.children = plan->m_selection.rules;
   plan->m_root = plan->make_member({&plan->m_root_rule});
   if(plan->m_error) {
      return std::move(*plan->m_error);
   }
   return plan;
}

const Action* Plan::make_action(const std::vector<const Rule*>& rules) {
   std::vector<const Rule*> children;
   for(const Rule* rule : rules) {
      if(rule->whole) {
         return &m_whole;
      }
      for(const Rule& child : rule->children) {
         children.push_back(&child);
      }
   }
   return &m_actions.emplace_back(Action{false, make_node(children)});
}

// The first limit a selection exceeds is its error (compiling goes on, bounded, to unwind).
void Plan::note_too_complex(std::string message) {
   if(!m_error) {
      m_error = Error(ErrorCode::invalid_policy, std::move(message), 0);
   }
}

const Node* Plan::make_node(const std::vector<const Rule*>& rules) {
   Node& node = m_nodes.emplace_back();
   if(m_nodes.size() > max_plan_nodes()) {
      note_too_complex("selection: too complex (more than " + std::to_string(max_plan_nodes()) +
                       " compiled nodes; wildcards multiply)");
      return &node;
   }
   std::vector<const Rule*> wildcards;
   std::vector<std::pair<std::string_view, std::vector<const Rule*>>> groups;
   std::unordered_map<std::string_view, std::size_t> group_of;
   for(const Rule* rule : rules) {
      if(rule->wildcard) {
         wildcards.push_back(rule);
         continue;
      }
      auto [it, inserted] = group_of.emplace(rule->name, groups.size());
      if(inserted) {
         groups.emplace_back(rule->name, std::vector<const Rule*>{});
      }
      groups[it->second].second.push_back(rule);
   }
   for(auto& [name, group] : groups) {
      group.insert(group.end(), wildcards.begin(), wildcards.end());
      node.named.emplace_back(name, make_member(std::move(group)));
   }
   std::sort(node.named.begin(), node.named.end(),
             [](const auto& a, const auto& b) { return a.first < b.first; });
   if(!wildcards.empty()) {
      node.wildcard = make_member(std::move(wildcards));
   }
   return &node;
}

const MemberPlan* Plan::make_member(std::vector<const Rule*> rules) {
   MemberPlan& member = m_members.emplace_back();
   member.owner = this;
   if(rules.size() > max_rules_per_member()) {
      note_too_complex("selection: more than " + std::to_string(max_rules_per_member()) + " rules apply to one member");
      return &member;
   }
   for(const Rule* rule : rules) {
      if(!rule->predicate) {
         continue;
      }
      member.conditional = true;
      const std::string& key = rule->predicate->key;
      if(std::find(member.predicate_keys.begin(), member.predicate_keys.end(), key) ==
         member.predicate_keys.end()) {
         member.predicate_keys.push_back(key);
      }
   }
   member.rules = std::move(rules);
   if(!member.conditional && !m_error) {
      member.unconditional = make_action(member.rules);
   }
   return &member;
}

}  // namespace leastdata::detail
