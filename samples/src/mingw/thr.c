#include <stdio.h>
#include <pthread.h>
static void *run(void *a){ puts("thread"); return a; }
int main(void){ pthread_t t; pthread_create(&t, 0, run, 0); pthread_join(t, 0); puts("hello"); return 0; }
