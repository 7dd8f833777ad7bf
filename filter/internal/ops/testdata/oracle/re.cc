#include <re2/re2.h>
#include <iostream>
#include <string>
#include <cstdio>
static std::string unhex(const std::string& s){std::string o; for(size_t i=0;i+1<s.size();i+=2){unsigned v; sscanf(s.c_str()+i,"%2x",&v); o.push_back((char)v);} return o;}
int main(){ std::string line; while(std::getline(std::cin,line)){ auto t=line.find('\t'); std::string p=unhex(line.substr(0,t)); std::string s=unhex(t==std::string::npos?"":line.substr(t+1));
  RE2 re(re2::StringPiece(p.data(),p.size()), RE2::POSIX);
  if(!re.ok()){ std::cout<<"E"; for(unsigned char ch: re.error()){char b[3]; snprintf(b,3,"%02x",ch); std::cout<<b;} std::cout<<"\n"; continue;}
  re2::StringPiece sp(s.data(), s.size());
  bool m = re.Match(sp, 0, s.size(), RE2::ANCHOR_BOTH, nullptr, 0);
  std::cout<<(m?"1":"0")<<"\n"; } }
