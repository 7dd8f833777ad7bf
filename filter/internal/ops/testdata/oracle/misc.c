#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <inttypes.h>
#include <arpa/inet.h>
static int unhex(const char*s, char*out){int n=0; while(s[0]&&s[1]&&s[0]!='\n'){unsigned v; sscanf(s,"%2x",&v); out[n++]=v; s+=2;} out[n]=0; return n;}
int main(){ char line[10000], buf[5000]; unsigned char a[16];
 while(fgets(line,sizeof line,stdin)){ char m=line[0]; unhex(line+2,buf);
  if(m=='4'||m=='6'){ int r=inet_pton(m=='4'?AF_INET:AF_INET6,buf,a); if(r!=1){puts("-");continue;} for(int i=0;i<(m=='4'?4:16);i++)printf("%02x",a[i]); puts(""); }
  else if(m=='u'){ uint64_t r; char c; int n=sscanf(buf,"%" PRIu64 "%c",&r,&c); if(n!=1) puts("-"); else printf("%" PRIu64 "\n", r);}
  else if(m=='w'){ uint32_t r; char c; int n=sscanf(buf,"%" PRIu32 "%c",&r,&c); if(n!=1) puts("-"); else printf("%" PRIu32 "\n", r);}
 }}
