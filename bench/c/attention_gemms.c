/* bench/c/attention_gemms.c — the six per-head attention GEMMs of BERT's training step
   (bench/train_bert.circuit: 96 heads (h 12 × b 8) of 128×128×32, operands in the layouts
   and strides `circuit emit-c` gives that step's gradient program) through the runtime's
   cc_gemm_, timed alone. Run by bench/attention_gemms.sh: `attention_gemms THREADS [cold]`
   (cold: a 64 MiB sweep before each call, so operands come from memory as in the step).
   Prints per GEMM the best of 30 calls and a hash of the result's bits. */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <pthread.h>
int cc_runtime_start_(int threads, long mc, long kc, long nc);
void cc_gemm_(long m0, long m1, long n0, long n1, long k, const float* a, long rsa, long csa, const float* b, long rsb, long csb,
              const float* bp, float* c, long rsc, long csc, int thread);
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static float *Q,*K,*P,*S,*O,*G;
static int T=1, which;
static pthread_barrier_t bar;
static void run(int part){
  long item=0;
  for(long h=0;h<12;++h)for(long b=0;b<8;++b){
    if (item++ % T != part) continue;
    switch(which){
    case 31: cc_gemm_(0,128,0,128,32,Q+h*32+b*49152,384,1,K+h*32+b*49152,1,384,0,S+h*131072+b*16384,128,1,part);break;
    case 38: cc_gemm_(0,128,0,32,128,P+h*131072+b*16384,128,1,K+h*32+b*49152,384,1,0,O+h*32768+b*4096,32,1,part);break;
    case 149: cc_gemm_(0,128,0,128,32,G+h*32+b*384,3072,1,K+h*32+b*49152,1,384,0,S+h*131072+b*16384,128,1,part);break;
    case 150: cc_gemm_(0,32,0,128,128,G+h*32+b*384,1,3072,P+h*131072+b*16384,128,1,0,O+h*32768+b*4096,128,1,part);break;
    case 156: cc_gemm_(0,128,0,32,128,S+h*131072+b*16384,128,1,Q+h*32+b*49152,384,1,0,O+h*32768+b*4096,32,1,part);break;
    case 158: cc_gemm_(0,128,0,32,128,P+h*131072+b*16384,1,128,Q+h*32+b*49152,384,1,0,O+h*32768+b*4096,32,1,part);break;
    }
  }
}
static char* F; static int cold;
static void flush(void){ if(!cold) return; if(!F)F=malloc(64<<20); for(long i=0;i<(64<<20);i+=64)F[i]++; }
static void* worker(void* x){ for(;;){ pthread_barrier_wait(&bar); run(1); pthread_barrier_wait(&bar);} return 0; }
int main(int argc,char**argv){
  T = argc > 1 && atoi(argv[1]) == 2 ? 2 : 1; cold = argc > 2;
  cc_runtime_start_(2, 132, 384, 2048);
  Q=malloc(4*393216);K=malloc(4*393216);G=malloc(4*393216);P=malloc(4*1572864);S=malloc(4*1572864);O=malloc(4*393216);
  for(long i=0;i<393216;++i){Q[i]=K[i]=G[i]=(i%17)*0.01f;} for(long i=0;i<1572864;++i)P[i]=(i%13)*0.01f;
  pthread_barrier_init(&bar,0,2); pthread_t th; if(T==2) pthread_create(&th,0,worker,0);
  int ws[]={31,38,149,150,156,158};
  for(int w=0;w<6;++w){ which=ws[w]; double best=1e9; for(int r=0;r<30;++r){flush(); double t=now(); if(T==2)pthread_barrier_wait(&bar); run(0); if(T==2)pthread_barrier_wait(&bar); t=now()-t;if(t<best)best=t;}
    unsigned long hsh=0; float* out=(which==31||which==149)?S:O; long cnt=(which==31||which==149)?1572864:393216; for(long i=0;i<cnt;++i){unsigned u; memcpy(&u,out+i,4); hsh=hsh*1000003u+u;} printf("%%%d: %.3f ms (%d threads) %.1f GFLOP/s hash %lx\n",ws[w],best*1e3,T,100.663e6/best/1e9,hsh);}
  return 0;
}
