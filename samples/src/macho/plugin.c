/* plugin.bundle (MH_BUNDLE) */
int puts(const char *);
int plugin_init(void){ puts("plugin loaded"); return 0; }
