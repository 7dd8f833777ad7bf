// Driver for libsinsp's filter parser, built by build.sh for TestOracle.
// Each input line is "<mode> <max depth> <hex input>" (mode p: parse, f:
// parse_field_or_transformer; max depth 0: the default); each output line
// is OK, the as_string text (hex), a dump of the tree with positions and,
// for mode f, the bytes used; or ERR, the position and the message (hex).

#include <libsinsp/filter/parser.h>
#include <libsinsp/filter/ast.h>
#include <libsinsp/sinsp_exception.h>
#include <iostream>
#include <string>
#include <cstdio>
using namespace libsinsp::filter;
using namespace libsinsp::filter::ast;

static std::string hex(const std::string& s) {
	static const char* d = "0123456789abcdef";
	std::string r;
	for(unsigned char c : s) { r += d[c >> 4]; r += d[c & 15]; }
	return r;
}
static std::string unhex(const std::string& s) {
	std::string r;
	for(size_t i = 0; i + 1 < s.size(); i += 2) r += (char)std::stoi(s.substr(i, 2), nullptr, 16);
	return r;
}
static std::string P(const pos_info& p) {
	return "@" + std::to_string(p.idx) + ":" + std::to_string(p.line) + ":" + std::to_string(p.col);
}
struct dumper : public const_expr_visitor {
	std::string s;
	void kids(const std::vector<std::unique_ptr<expr>>& c) {
		s += "(";
		for(size_t i = 0; i < c.size(); i++) { if(i) s += " "; c[i]->accept(this); }
		s += ")";
	}
	void arg(const std::optional<std::string>& a) { if(a) s += "[" + hex(*a) + "]"; }
	void visit(const and_expr* e) override { s += "and" + P(e->get_pos()); kids(e->children); }
	void visit(const or_expr* e) override { s += "or" + P(e->get_pos()); kids(e->children); }
	void visit(const not_expr* e) override { s += "not" + P(e->get_pos()) + "("; e->child->accept(this); s += ")"; }
	void visit(const identifier_expr* e) override { s += "id" + P(e->get_pos()) + ":" + hex(e->identifier); }
	void visit(const value_expr* e) override { s += "val" + P(e->get_pos()) + ":" + hex(e->value); }
	void visit(const list_expr* e) override {
		s += "list" + P(e->get_pos()) + "(";
		for(size_t i = 0; i < e->values.size(); i++) { if(i) s += " "; s += hex(e->values[i]); }
		s += ")";
	}
	void visit(const transformer_list_expr* e) override { s += "tlist" + P(e->get_pos()); kids(e->children); }
	void visit(const unary_check_expr* e) override { s += "unary" + P(e->get_pos()) + ":" + hex(e->op) + "("; e->left->accept(this); s += ")"; }
	void visit(const binary_check_expr* e) override {
		s += "binary" + P(e->get_pos()) + ":" + hex(e->op) + "("; e->left->accept(this); s += " "; e->right->accept(this); s += ")";
	}
	void visit(const field_expr* e) override { s += "field" + P(e->get_pos()) + ":" + hex(e->field); arg(e->arg); }
	void visit(const field_transformer_expr* e) override {
		s += "tr" + P(e->get_pos()) + ":" + hex(e->transformer); kids(e->values); arg(e->arg);
	}
};

int main() {
	std::string mode, line;
	long maxd;
	while(std::cin >> mode >> maxd) {
		std::string h;
		std::getline(std::cin, h);
		if(!h.empty() && h[0] == ' ') h = h.substr(1);
		std::string in = unhex(h);
		parser p(in);
		if(maxd > 0) p.set_max_depth(maxd);
		try {
			std::unique_ptr<expr> e;
			if(mode == "f") e = p.parse_field_or_transformer(); else e = p.parse();
			dumper d;
			e->accept(&d);
			std::cout << "OK\t" << hex(as_string(e.get())) << "\t" << d.s;
			if(mode == "f") std::cout << "\t" << p.get_pos().idx;
			std::cout << "\n";
		} catch(const std::exception& ex) {
			auto pos = p.get_pos();
			std::cout << "ERR\t" << pos.idx << " " << pos.line << " " << pos.col << "\t" << hex(ex.what()) << "\n";
		}
		std::cout.flush();
	}
}
