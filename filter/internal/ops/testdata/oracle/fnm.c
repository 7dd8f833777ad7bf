#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
// reads lines: flags \t pattern(hex) \t string(hex); prints 1/0
static int unhex(const char*s, char*out){int n=0; while(s[0]&&s[1]&&s[0]!='\n'&&s[0]!='\t'){unsigned v; sscanf(s,"%2x",&v); out[n++]=v; s+=2;} out[n]=0; return n;}
int main(){ char line[100000]; static char p[50000], s[50000];
 while(fgets(line,sizeof line,stdin)){ char*t1=strchr(line,'\t'); if(!t1)continue; char*t2=strchr(t1+1,'\t'); if(!t2) continue;
  int fl=atoi(line); unhex(t1+1,p); unhex(t2+1,s);
  int r=fnmatch(p,s,fl?FNM_CASEFOLD:0); printf("%d\n", r==0?1:(r==FNM_NOMATCH?0:2)); }
}
