/* Unit tests: config.json parsing and validation (src/spec/).  JSON in this file is written
 * with single quotes for legibility; dq() turns them into double quotes. */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#include "spec/spec.h"
#include "util/arena.h"
#include "unit.h"

static char *dq(const char *s)
{
	char *d = strdup(s);

	ck_assert_ptr_nonnull(d);
	for (char *p = d; *p; p++) {
		if (*p == '\'')
			*p = '"';
	}
	return d;
}

static struct spec *parse_ok(const char *sq_json)
{
	char *json = dq(sq_json);
	struct herr err = {0};
	struct spec *s = NULL;
	int r = spec_parse(json, strlen(json), "config.json", &s, &err);

	free(json);
	ck_assert_msg(r == 0, "unexpected error: %s", err.msg);
	ck_assert_ptr_nonnull(s);
	return s;
}

static void parse_fails(const char *sq_json, const char *expected)
{
	char *json = dq(sq_json);
	struct herr err = {0};
	struct spec *s = NULL;
	int r = spec_parse(json, strlen(json), "config.json", &s, &err);

	free(json);
	ck_assert_int_lt(r, 0);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(err.msg, expected);
}

/* A minimal valid config; keys given again later in the object override these (the last
 * occurrence of a key wins, as in Go). */
#define BASE "'ociVersion':'1.3.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'}"
#define CFG(extra) "{" BASE extra "}"
#define PROC(p) CFG(",'process':{'args':['sh'],'cwd':'/'," p "}")
#define LNX(l) CFG(",'linux':{" l "}")
#define NS_ALL                                                                                     \
	"'namespaces':[{'type':'pid'},{'type':'network'},{'type':'ipc'},{'type':'uts'},{'type':'"  \
	"mount'}]"

/* ---- good configs ---- */

START_TEST(test_runc_default)
{
	/* `runc spec` (runc 1.1.5), verbatim. */
	static const char runc_spec[] =
	    "{'ociVersion':'1.0.2-dev','process':{'terminal':true,'user':{'uid':0,'gid':0},"
	    "'args':['sh'],'env':['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:"
	    "/bin','TERM=xterm'],'cwd':'/','capabilities':{'bounding':['CAP_AUDIT_WRITE',"
	    "'CAP_KILL','CAP_NET_BIND_SERVICE'],'effective':['CAP_AUDIT_WRITE','CAP_KILL',"
	    "'CAP_NET_BIND_SERVICE'],'permitted':['CAP_AUDIT_WRITE','CAP_KILL',"
	    "'CAP_NET_BIND_SERVICE'],'ambient':['CAP_AUDIT_WRITE','CAP_KILL',"
	    "'CAP_NET_BIND_SERVICE']},'rlimits':[{'type':'RLIMIT_NOFILE','hard':1024,"
	    "'soft':1024}],'noNewPrivileges':true},'root':{'path':'rootfs','readonly':true},"
	    "'hostname':'runc','mounts':[{'destination':'/proc','type':'proc','source':'proc'},"
	    "{'destination':'/dev','type':'tmpfs','source':'tmpfs','options':['nosuid',"
	    "'strictatime','mode=755','size=65536k']},{'destination':'/dev/pts','type':'devpts',"
	    "'source':'devpts','options':['nosuid','noexec','newinstance','ptmxmode=0666',"
	    "'mode=0620','gid=5']},{'destination':'/dev/shm','type':'tmpfs','source':'shm',"
	    "'options':['nosuid','noexec','nodev','mode=1777','size=65536k']},{'destination':"
	    "'/dev/mqueue','type':'mqueue','source':'mqueue','options':['nosuid','noexec',"
	    "'nodev']},{'destination':'/sys','type':'sysfs','source':'sysfs','options':['nosuid',"
	    "'noexec','nodev','ro']},{'destination':'/sys/fs/cgroup','type':'cgroup','source':"
	    "'cgroup','options':['nosuid','noexec','nodev','relatime','ro']}],'linux':{"
	    "'resources':{'devices':[{'allow':false,'access':'rwm'}]},'namespaces':[{'type':"
	    "'pid'},{'type':'network'},{'type':'ipc'},{'type':'uts'},{'type':'mount'}],"
	    "'maskedPaths':['/proc/acpi','/proc/asound','/proc/kcore','/proc/keys',"
	    "'/proc/latency_stats','/proc/timer_list','/proc/timer_stats','/proc/sched_debug',"
	    "'/sys/firmware','/proc/scsi'],'readonlyPaths':['/proc/bus','/proc/fs','/proc/irq',"
	    "'/proc/sys','/proc/sysrq-trigger']}}";
	struct spec *s = parse_ok(runc_spec);
	struct spec_process *p = s->process;
	struct spec_linux *l = s->linux_;

	ck_assert_str_eq(s->oci_version, "1.0.2-dev");
	ck_assert(p->terminal);
	ck_assert_uint_eq(p->user.uid, 0);
	ck_assert_uint_eq(p->n_args, 1);
	ck_assert_str_eq(p->args[0], "sh");
	ck_assert_ptr_null(p->args[1]);
	ck_assert_uint_eq(p->n_env, 2);
	ck_assert_str_eq(p->env[1], "TERM=xterm");
	ck_assert_ptr_null(p->env[2]);
	ck_assert_str_eq(p->cwd, "/");
	ck_assert_uint_eq(p->capabilities->n_names[SPEC_CAP_BOUNDING], 3);
	ck_assert_str_eq(p->capabilities->names[SPEC_CAP_AMBIENT][2], "CAP_NET_BIND_SERVICE");
	ck_assert_ptr_null(p->capabilities->names[SPEC_CAP_INHERITABLE]);
	ck_assert_uint_eq(p->n_rlimits, 1);
	ck_assert_int_eq(p->rlimits[0].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(p->rlimits[0].soft, 1024);
	ck_assert(p->no_new_privileges);
	ck_assert(!p->oom_score_adj.set);
	ck_assert_str_eq(s->root->path, "rootfs");
	ck_assert(s->root->readonly);
	ck_assert_str_eq(s->hostname, "runc");
	ck_assert_ptr_null(s->domainname);
	ck_assert_uint_eq(s->n_mounts, 7);
	ck_assert_str_eq(s->mounts[2].destination, "/dev/pts");
	ck_assert_str_eq(s->mounts[2].options[5], "gid=5");
	ck_assert_uint_eq(s->mounts[0].n_options, 0);
	ck_assert_ptr_null(s->hooks);
	ck_assert_uint_eq(l->resources->n_devices, 1);
	ck_assert(!l->resources->devices[0].allow);
	ck_assert_int_eq(l->resources->devices[0].type, 'a');
	ck_assert(!l->resources->devices[0].major.set);
	ck_assert_str_eq(l->resources->devices[0].access, "rwm");
	ck_assert_uint_eq(l->n_namespaces, 5);
	ck_assert_int_eq(l->namespaces[1].type, SPEC_NS_NETWORK);
	ck_assert_ptr_null(l->namespaces[1].path);
	ck_assert_uint_eq(l->n_masked_paths, 10);
	ck_assert_str_eq(l->readonly_paths[4], "/proc/sysrq-trigger");
	ck_assert_ptr_nonnull(spec_find_ns(s, SPEC_NS_MOUNT));
	ck_assert_ptr_null(spec_find_ns(s, SPEC_NS_USER));
	spec_free(s);
}
END_TEST

static const char full_config[] =
    "{'ociVersion':'1.3.0','unknownTopLevel':{'x':[1,2]},"
    "'process':{'terminal':true,'consoleSize':{'height':25,'width':80},"
    "'user':{'uid':1000,'gid':1001,'umask':18,'additionalGids':[5,4294967295]},"
    "'args':['/bin/app','-v'],'env':['A=1','EMPTY='],'cwd':'/work',"
    "'capabilities':{'bounding':['CAP_KILL'],'effective':[],'inheritable':['CAP_CHOWN'],"
    "'permitted':['CAP_KILL','CAP_BOGUS'],'ambient':['CAP_KILL']},"
    "'rlimits':[{'type':'RLIMIT_CORE','hard':18446744073709551615,'soft':0},"
    "{'type':'RLIMIT_NPROC','hard':100,'soft':50}],"
    "'noNewPrivileges':true,'apparmorProfile':'aa','oomScoreAdj':-500,"
    "'scheduler':{'policy':'SCHED_DEADLINE','flags':['SCHED_FLAG_RESET_ON_FORK',"
    "'SCHED_FLAG_RECLAIM'],'runtime':10000,'deadline':20000,'period':30000},"
    "'selinuxLabel':'system_u:system_r:svirt_lxc_net_t:s0:c124,c675',"
    "'ioPriority':{'class':'IOPRIO_CLASS_IDLE','priority':7},"
    "'execCPUAffinity':{'initial':'0','final':'1-3'}},"
    "'root':{'path':'/srv/rootfs'},'hostname':'box','domainname':'example.org',"
    "'mounts':[{'destination':'/data','type':'none','source':'/srv/data',"
    "'options':['rbind','ridmap'],'uidMappings':[{'containerID':0,'hostID':100000,"
    "'size':65536}],'gidMappings':[{'containerID':0,'hostID':200000,'size':1}]},"
    "{'destination':'/tmp','type':'tmpfs'}],"
    "'hooks':{'prestart':[{'path':'/bin/pre'}],'createRuntime':[{'path':'/bin/cr',"
    "'args':['cr','x'],'env':['K=V'],'timeout':5}],'createContainer':[{'path':'/a'},"
    "{'path':'/b'}],'startContainer':[{'path':'/sc'}],'poststart':[{'path':'/ps'}],"
    "'poststop':[{'path':'/pst'}]},"
    "'annotations':{'org.example.key':'value','b':''},"
    "'linux':{'uidMappings':[{'containerID':0,'hostID':1000,'size':1},"
    "{'containerID':1,'hostID':100000,'size':65536}],"
    "'gidMappings':[{'containerID':0,'hostID':1000,'size':65537}],"
    "'sysctl':{'net.ipv4.ip_forward':'1','kernel.shmmax':'4096','fs.mqueue.msg_max':'10',"
    "'kernel.domainname':'d','user.max_user_namespaces':'5','net/ipv4/conf/eth0.100/"
    "rp_filter':'0'},"
    "'resources':{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c',"
    "'major':1,'minor':3,'access':'rw'},{'allow':true,'type':'b','major':8}],"
    "'memory':{'limit':536870912,'reservation':-1,'swap':1073741824,'kernel':0,"
    "'kernelTCP':1,'swappiness':60,'disableOOMKiller':true,'useHierarchy':false,"
    "'checkBeforeUpdate':true},"
    "'cpu':{'shares':1024,'quota':-1,'burst':1000,'period':100000,'realtimeRuntime':950000,"
    "'realtimePeriod':1000000,'cpus':'0-3','mems':'0','idle':1},"
    "'pids':{'limit':32},"
    "'blockIO':{'weight':500,'leafWeight':300,'weightDevice':[{'major':8,'minor':0,"
    "'weight':600},{'major':8,'minor':16,'leafWeight':10}],"
    "'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}],"
    "'throttleWriteBpsDevice':[{'major':8,'minor':0,'rate':2}],"
    "'throttleReadIOPSDevice':[{'major':8,'minor':0,'rate':3}],"
    "'throttleWriteIOPSDevice':[{'major':8,'minor':0,'rate':4},{'major':8,'minor':1,"
    "'rate':5}]},"
    "'hugepageLimits':[{'pageSize':'2MB','limit':209715200},{'pageSize':'1GB','limit':0}],"
    "'network':{'classID':1048577,'priorities':[{'name':'eth0','priority':500},"
    "{'name':'eth1','priority':1000}]},"
    "'rdma':{'mlx5_1':{'hcaHandles':3,'hcaObjects':10000},'mlx4_0':{'hcaObjects':1}},"
    "'unified':{'io.weight':'default 100','memory.high':'max'}},"
    "'cgroupsPath':'/myRuntime/myContainer',"
    "'namespaces':[{'type':'pid'},{'type':'network','path':'/var/run/netns/neta'},"
    "{'type':'mount'},{'type':'ipc'},{'type':'uts'},{'type':'user'},{'type':'cgroup'},"
    "{'type':'time'}],"
    "'timeOffsets':{'monotonic':{'secs':-172800,'nanosecs':0},'boottime':{'secs':1,"
    "'nanosecs':999999999}},"
    "'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229,'fileMode':438,"
    "'uid':0,'gid':0},{'path':'/dev/sda','type':'b','major':8,'minor':0},"
    "{'path':'/dev/fifo','type':'p'}],"
    "'netDevices':{'eth1':{'name':'ctr1'},'eth2':{}},"
    "'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,"
    "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86'],'flags':['SECCOMP_FILTER_FLAG_LOG'],"
    "'listenerPath':'/run/seccomp.sock','listenerMetadata':'meta',"
    "'syscalls':[{'names':['read','write'],'action':'SCMP_ACT_ALLOW'},"
    "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':13,'args':[{'index':1,"
    "'value':9,'op':'SCMP_CMP_EQ'},{'index':5,'value':255,'valueTwo':15,"
    "'op':'SCMP_CMP_MASKED_EQ'}]},{'names':['mount'],'action':'SCMP_ACT_NOTIFY'}]},"
    "'rootfsPropagation':'rslave',"
    "'maskedPaths':['/proc/kcore'],'readonlyPaths':['/proc/sys'],"
    "'mountLabel':'system_u:object_r:svirt_sandbox_file_t:s0:c715,c811',"
    "'intelRdt':{'closID':'guaranteed_group','schemata':['L3:0=7f0;1=1f','MB:0=20;1=70'],"
    "'l3CacheSchema':'L3:0=fff','memBwSchema':'MB:0=70','enableMonitoring':true},"
    "'memoryPolicy':{'mode':'MPOL_INTERLEAVE','nodes':'0-3,7','flags':"
    "['MPOL_F_STATIC_NODES']},"
    "'personality':{'domain':'LINUX32'}}}";

START_TEST(test_full_process)
{
	struct spec *s = parse_ok(full_config);
	struct spec_process *p = s->process;

	ck_assert_uint_eq(p->console_size->height, 25);
	ck_assert_uint_eq(p->console_size->width, 80);
	ck_assert_uint_eq(p->user.uid, 1000);
	ck_assert_uint_eq(p->user.gid, 1001);
	ck_assert(p->user.umask.set);
	ck_assert_uint_eq(p->user.umask.v, 18);
	ck_assert_uint_eq(p->user.n_additional_gids, 2);
	ck_assert_uint_eq(p->user.additional_gids[1], 4294967295u);
	ck_assert_uint_eq(p->n_args, 2);
	ck_assert_str_eq(p->args[1], "-v");
	ck_assert_ptr_null(p->args[2]);
	ck_assert_str_eq(p->env[1], "EMPTY=");
	ck_assert_str_eq(p->cwd, "/work");
	ck_assert_uint_eq(p->capabilities->n_names[SPEC_CAP_EFFECTIVE], 0);
	ck_assert_ptr_nonnull(p->capabilities->names[SPEC_CAP_EFFECTIVE]);
	ck_assert_str_eq(p->capabilities->names[SPEC_CAP_INHERITABLE][0], "CAP_CHOWN");
	ck_assert_str_eq(p->capabilities->names[SPEC_CAP_PERMITTED][1], "CAP_BOGUS");
	ck_assert_uint_eq(p->n_rlimits, 2);
	ck_assert_str_eq(p->rlimits[0].type, "RLIMIT_CORE");
	ck_assert_int_eq(p->rlimits[0].resource, RLIMIT_CORE);
	ck_assert_uint_eq(p->rlimits[0].hard, UINT64_MAX);
	ck_assert_int_eq(p->rlimits[1].resource, RLIMIT_NPROC);
	ck_assert_uint_eq(p->rlimits[1].soft, 50);
	ck_assert_str_eq(p->apparmor_profile, "aa");
	ck_assert(p->oom_score_adj.set);
	ck_assert_int_eq(p->oom_score_adj.v, -500);
	ck_assert_str_eq(p->scheduler->policy, "SCHED_DEADLINE");
	ck_assert_int_eq(p->scheduler->policy_num, 6);
	ck_assert_uint_eq(p->scheduler->n_flags, 2);
	ck_assert_uint_eq(p->scheduler->flags_mask, 0x03);
	ck_assert_uint_eq(p->scheduler->runtime, 10000);
	ck_assert_uint_eq(p->scheduler->deadline, 20000);
	ck_assert_uint_eq(p->scheduler->period, 30000);
	ck_assert_str_eq(p->selinux_label, "system_u:system_r:svirt_lxc_net_t:s0:c124,c675");
	ck_assert_str_eq(p->io_priority->class, "IOPRIO_CLASS_IDLE");
	ck_assert_int_eq(p->io_priority->class_num, 3);
	ck_assert_int_eq(p->io_priority->priority, 7);
	ck_assert_str_eq(p->exec_cpu_affinity->initial, "0");
	ck_assert_str_eq(p->exec_cpu_affinity->final, "1-3");
	spec_free(s);
}
END_TEST

START_TEST(test_full_top)
{
	struct spec *s = parse_ok(full_config);
	struct spec_hooks *h = s->hooks;

	ck_assert_str_eq(s->root->path, "/srv/rootfs");
	ck_assert(!s->root->readonly);
	ck_assert_str_eq(s->hostname, "box");
	ck_assert_str_eq(s->domainname, "example.org");
	ck_assert_uint_eq(s->n_mounts, 2);
	ck_assert_str_eq(s->mounts[0].source, "/srv/data");
	ck_assert_str_eq(s->mounts[0].options[1], "ridmap");
	ck_assert_ptr_null(s->mounts[0].options[2]);
	ck_assert_uint_eq(s->mounts[0].n_uid_mappings, 1);
	ck_assert_uint_eq(s->mounts[0].uid_mappings[0].host_id, 100000);
	ck_assert_uint_eq(s->mounts[0].uid_mappings[0].size, 65536);
	ck_assert_uint_eq(s->mounts[0].gid_mappings[0].host_id, 200000);
	ck_assert_str_eq(s->mounts[1].destination, "/tmp");
	ck_assert_ptr_null(s->mounts[1].source);
	ck_assert_uint_eq(h->n[SPEC_HOOK_PRESTART], 1);
	ck_assert_str_eq(h->list[SPEC_HOOK_PRESTART][0].path, "/bin/pre");
	ck_assert(!h->list[SPEC_HOOK_PRESTART][0].timeout.set);
	ck_assert_uint_eq(h->list[SPEC_HOOK_CREATE_RUNTIME][0].n_args, 2);
	ck_assert_str_eq(h->list[SPEC_HOOK_CREATE_RUNTIME][0].args[1], "x");
	ck_assert_ptr_null(h->list[SPEC_HOOK_CREATE_RUNTIME][0].args[2]);
	ck_assert_str_eq(h->list[SPEC_HOOK_CREATE_RUNTIME][0].env[0], "K=V");
	ck_assert_ptr_null(h->list[SPEC_HOOK_CREATE_RUNTIME][0].env[1]);
	ck_assert_int_eq(h->list[SPEC_HOOK_CREATE_RUNTIME][0].timeout.v, 5);
	ck_assert_uint_eq(h->n[SPEC_HOOK_CREATE_CONTAINER], 2);
	ck_assert_str_eq(h->list[SPEC_HOOK_CREATE_CONTAINER][1].path, "/b");
	ck_assert_str_eq(h->list[SPEC_HOOK_START_CONTAINER][0].path, "/sc");
	ck_assert_str_eq(h->list[SPEC_HOOK_POSTSTART][0].path, "/ps");
	ck_assert_str_eq(h->list[SPEC_HOOK_POSTSTOP][0].path, "/pst");
	ck_assert_uint_eq(s->n_annotations, 2);
	ck_assert_str_eq(s->annotations[0].key, "org.example.key");
	ck_assert_str_eq(s->annotations[0].value, "value");
	ck_assert_str_eq(s->annotations[1].value, "");
	spec_free(s);
}
END_TEST

START_TEST(test_full_linux)
{
	struct spec *s = parse_ok(full_config);
	struct spec_linux *l = s->linux_;

	ck_assert_uint_eq(l->n_uid_mappings, 2);
	ck_assert_uint_eq(l->uid_mappings[1].container_id, 1);
	ck_assert_uint_eq(l->uid_mappings[1].host_id, 100000);
	ck_assert_uint_eq(l->gid_mappings[0].size, 65537);
	ck_assert_uint_eq(l->n_sysctl, 6);
	ck_assert_str_eq(l->sysctl[0].key, "net.ipv4.ip_forward");
	ck_assert_str_eq(l->sysctl[0].value, "1");
	ck_assert_str_eq(l->cgroups_path, "/myRuntime/myContainer");
	ck_assert_uint_eq(l->n_namespaces, 8);
	ck_assert_int_eq(l->namespaces[7].type, SPEC_NS_TIME);
	ck_assert_str_eq(spec_find_ns(s, SPEC_NS_NETWORK)->path, "/var/run/netns/neta");
	ck_assert_uint_eq(l->n_time_offsets, 2);
	ck_assert_str_eq(l->time_offsets[0].clock, "monotonic");
	ck_assert_int_eq(l->time_offsets[0].secs, -172800);
	ck_assert_uint_eq(l->time_offsets[1].nanosecs, 999999999);
	ck_assert_uint_eq(l->n_devices, 3);
	ck_assert_int_eq(l->devices[0].type, 'c');
	ck_assert_int_eq(l->devices[0].major, 10);
	ck_assert_int_eq(l->devices[0].minor, 229);
	ck_assert(l->devices[0].file_mode.set);
	ck_assert_uint_eq(l->devices[0].file_mode.v, 0666);
	ck_assert(l->devices[0].uid.set);
	ck_assert(!l->devices[1].uid.set);
	ck_assert_int_eq(l->devices[2].type, 'p');
	ck_assert_uint_eq(l->n_net_devices, 2);
	ck_assert_str_eq(l->net_devices[0].host_name, "eth1");
	ck_assert_str_eq(l->net_devices[0].name, "ctr1");
	ck_assert_ptr_null(l->net_devices[1].name);
	ck_assert_str_eq(l->rootfs_propagation, "rslave");
	ck_assert_str_eq(l->masked_paths[0], "/proc/kcore");
	ck_assert_str_eq(l->readonly_paths[0], "/proc/sys");
	ck_assert_str_eq(l->mount_label, "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811");
	ck_assert_str_eq(l->intel_rdt->clos_id, "guaranteed_group");
	ck_assert_uint_eq(l->intel_rdt->n_schemata, 2);
	ck_assert_str_eq(l->intel_rdt->schemata[1], "MB:0=20;1=70");
	ck_assert_str_eq(l->intel_rdt->l3_cache_schema, "L3:0=fff");
	ck_assert_str_eq(l->intel_rdt->mem_bw_schema, "MB:0=70");
	ck_assert(l->intel_rdt->enable_monitoring);
	ck_assert_str_eq(l->memory_policy->mode, "MPOL_INTERLEAVE");
	ck_assert_int_eq(l->memory_policy->mode_num, 3);
	ck_assert_str_eq(l->memory_policy->nodes, "0-3,7");
	ck_assert_uint_eq(l->memory_policy->flags_mask, 1u << 15);
	ck_assert_str_eq(l->personality->domain, "LINUX32");
	ck_assert_uint_eq(l->personality->persona, PER_LINUX32);
	spec_free(s);
}
END_TEST

START_TEST(test_full_resources)
{
	struct spec *s = parse_ok(full_config);
	struct spec_resources *r = s->linux_->resources;

	ck_assert_uint_eq(r->n_devices, 3);
	ck_assert(r->devices[1].allow);
	ck_assert_int_eq(r->devices[1].type, 'c');
	ck_assert_int_eq(r->devices[1].major.v, 1);
	ck_assert_int_eq(r->devices[1].minor.v, 3);
	ck_assert_str_eq(r->devices[1].access, "rw");
	ck_assert(r->devices[2].major.set);
	ck_assert(!r->devices[2].minor.set);
	ck_assert_ptr_null(r->devices[2].access);
	ck_assert_int_eq(r->memory->limit.v, 536870912);
	ck_assert_int_eq(r->memory->reservation.v, -1);
	ck_assert_int_eq(r->memory->swap.v, 1073741824);
	ck_assert(r->memory->kernel.set);
	ck_assert_int_eq(r->memory->kernel_tcp.v, 1);
	ck_assert_uint_eq(r->memory->swappiness.v, 60);
	ck_assert(r->memory->disable_oom_killer.set && r->memory->disable_oom_killer.v);
	ck_assert(r->memory->use_hierarchy.set && !r->memory->use_hierarchy.v);
	ck_assert(r->memory->check_before_update.v);
	ck_assert_uint_eq(r->cpu->shares.v, 1024);
	ck_assert_int_eq(r->cpu->quota.v, -1);
	ck_assert_uint_eq(r->cpu->burst.v, 1000);
	ck_assert_uint_eq(r->cpu->period.v, 100000);
	ck_assert_int_eq(r->cpu->realtime_runtime.v, 950000);
	ck_assert_uint_eq(r->cpu->realtime_period.v, 1000000);
	ck_assert_str_eq(r->cpu->cpus, "0-3");
	ck_assert_str_eq(r->cpu->mems, "0");
	ck_assert_int_eq(r->cpu->idle.v, 1);
	ck_assert(r->has_pids);
	ck_assert_int_eq(r->pids_limit.v, 32);
	ck_assert_uint_eq(r->blkio->weight.v, 500);
	ck_assert_uint_eq(r->blkio->leaf_weight.v, 300);
	ck_assert_uint_eq(r->blkio->n_weight_devices, 2);
	ck_assert_uint_eq(r->blkio->weight_devices[0].weight.v, 600);
	ck_assert(!r->blkio->weight_devices[0].leaf_weight.set);
	ck_assert_int_eq(r->blkio->weight_devices[1].minor, 16);
	ck_assert_uint_eq(r->blkio->throttle[SPEC_THROTTLE_READ_BPS][0].rate, 1048576);
	ck_assert_uint_eq(r->blkio->throttle[SPEC_THROTTLE_WRITE_BPS][0].rate, 2);
	ck_assert_uint_eq(r->blkio->throttle[SPEC_THROTTLE_READ_IOPS][0].rate, 3);
	ck_assert_uint_eq(r->blkio->n_throttle[SPEC_THROTTLE_WRITE_IOPS], 2);
	ck_assert_int_eq(r->blkio->throttle[SPEC_THROTTLE_WRITE_IOPS][1].minor, 1);
	ck_assert_uint_eq(r->n_hugepage_limits, 2);
	ck_assert_str_eq(r->hugepage_limits[1].page_size, "1GB");
	ck_assert_uint_eq(r->hugepage_limits[0].limit, 209715200);
	ck_assert_uint_eq(r->network->class_id.v, 1048577);
	ck_assert_str_eq(r->network->priorities[1].name, "eth1");
	ck_assert_uint_eq(r->network->priorities[1].priority, 1000);
	ck_assert_uint_eq(r->n_rdma, 2);
	ck_assert_str_eq(r->rdma[0].device, "mlx5_1");
	ck_assert_uint_eq(r->rdma[0].hca_handles.v, 3);
	ck_assert(!r->rdma[1].hca_handles.set);
	ck_assert_uint_eq(r->rdma[1].hca_objects.v, 1);
	ck_assert_uint_eq(r->n_unified, 2);
	ck_assert_str_eq(r->unified[0].key, "io.weight");
	ck_assert_str_eq(r->unified[0].value, "default 100");
	spec_free(s);
}
END_TEST

START_TEST(test_full_seccomp)
{
	struct spec *s = parse_ok(full_config);
	struct spec_seccomp *sc = s->linux_->seccomp;

	ck_assert_int_eq(sc->default_action, SPEC_SCMP_ACT_ERRNO);
	ck_assert_uint_eq(sc->default_errno_ret.v, 1);
	ck_assert_uint_eq(sc->n_architectures, 2);
	ck_assert_str_eq(sc->architectures[1], "SCMP_ARCH_X86");
	ck_assert_str_eq(sc->flags[0], "SECCOMP_FILTER_FLAG_LOG");
	ck_assert_str_eq(sc->listener_path, "/run/seccomp.sock");
	ck_assert_str_eq(sc->listener_metadata, "meta");
	ck_assert_uint_eq(sc->n_syscalls, 3);
	ck_assert_uint_eq(sc->syscalls[0].n_names, 2);
	ck_assert_str_eq(sc->syscalls[0].names[1], "write");
	ck_assert_int_eq(sc->syscalls[0].action, SPEC_SCMP_ACT_ALLOW);
	ck_assert(!sc->syscalls[0].errno_ret.set);
	ck_assert_int_eq(sc->syscalls[1].action, SPEC_SCMP_ACT_ERRNO);
	ck_assert_uint_eq(sc->syscalls[1].errno_ret.v, 13);
	ck_assert_uint_eq(sc->syscalls[1].n_args, 2);
	ck_assert_uint_eq(sc->syscalls[1].args[0].index, 1);
	ck_assert_uint_eq(sc->syscalls[1].args[0].value, 9);
	ck_assert_int_eq(sc->syscalls[1].args[0].op, SPEC_SCMP_CMP_EQ);
	ck_assert_uint_eq(sc->syscalls[1].args[1].index, 5);
	ck_assert_uint_eq(sc->syscalls[1].args[1].value_two, 15);
	ck_assert_int_eq(sc->syscalls[1].args[1].op, SPEC_SCMP_CMP_MASKED_EQ);
	ck_assert_int_eq(sc->syscalls[2].action, SPEC_SCMP_ACT_NOTIFY);
	spec_free(s);
}
END_TEST

START_TEST(test_nulls_and_unknown_fields)
{
	/* null is Go's "absent"; unknown fields are ignored; empty strings are absent. */
	struct spec *s = parse_ok(CFG(",'hostname':'','domainname':null,'mounts':null,"
				      "'solaris':{'milestone':1},'linux':{'namespaces':[{'type':"
				      "'uts','path':''}],'cgroupsPath':'','future':[true]}"));

	ck_assert_ptr_null(s->hostname);
	ck_assert_ptr_null(s->domainname);
	ck_assert_uint_eq(s->n_mounts, 0);
	ck_assert_ptr_null(s->linux_->namespaces[0].path);
	ck_assert_ptr_null(s->linux_->cgroups_path);
	ck_assert_ptr_null(s->process->capabilities);
	ck_assert_ptr_null(s->process->env);
	spec_free(s);
}
END_TEST

START_TEST(test_relative_mount_destination)
{
	/* Deprecated but allowed: "interpreted as relative to /" (config.md); runc warns. */
	struct spec *s = parse_ok(CFG(",'mounts':[{'destination':'tmp','type':'tmpfs'}]"));

	ck_assert_str_eq(s->mounts[0].destination, "/tmp");
	spec_free(s);
}
END_TEST

START_TEST(test_not_nul_terminated)
{
	/* The input needs no NUL terminator: parse a prefix of a larger buffer. */
	char *json = dq(CFG("") "garbage");
	struct herr err = {0};
	struct spec *s = NULL;

	ck_assert_int_eq(spec_parse(json, strlen(json) - 7, "config.json", &s, &err), 0);
	ck_assert_str_eq(s->process->args[0], "sh");
	spec_free(s);
	free(json);
}
END_TEST

START_TEST(test_parse_process)
{
	char *json = dq("{'args':['ls','-l'],'cwd':'/tmp','env':['X=1'],'user':{'uid':5}}");
	struct arena *a = arena_new();
	struct spec_process *p = NULL;
	struct herr err = {0};

	ck_assert_int_eq(spec_parse_process(json, strlen(json), "process.json", &p, a, &err), 0);
	ck_assert_str_eq(p->args[1], "-l");
	ck_assert_ptr_null(p->args[2]);
	ck_assert_uint_eq(p->user.uid, 5);
	free(json);
	json = dq("{'args':['ls'],'cwd':'tmp'}");
	ck_assert_int_lt(spec_parse_process(json, strlen(json), "process.json", &p, a, &err), 0);
	ck_assert_str_eq(err.msg, "process.json: cwd: must be an absolute path, got \"tmp\"");
	free(json);
	json = dq("{'args':['ls'],'cwd':'/','scheduler':{'policy':'SCHED_BATCH','nice':-21}}");
	ck_assert_int_lt(spec_parse_process(json, strlen(json), "process.json", &p, a, &err), 0);
	ck_assert_str_eq(err.msg, "process.json: scheduler.nice: must be from -20 to 19 with "
				  "SCHED_BATCH, got -21");
	free(json);
	json = dq("[]");
	ck_assert_int_lt(spec_parse_process(json, strlen(json), "process.json", &p, a, &err), 0);
	ck_assert_str_eq(err.msg,
			 "process.json: expected a JSON object at the top level, got array");
	free(json);
	arena_free(a);
}
END_TEST

START_TEST(test_rlimit_names)
{
	static const struct {
		const char *name;
		int v;
	} known[] = {
	    {"RLIMIT_AS", RLIMIT_AS},	  {"RLIMIT_CORE", RLIMIT_CORE},
	    {"RLIMIT_CPU", RLIMIT_CPU},	  {"RLIMIT_DATA", RLIMIT_DATA},
	    {"RLIMIT_FSIZE", RLIMIT_FSIZE}, {"RLIMIT_LOCKS", RLIMIT_LOCKS},
	    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
	    {"RLIMIT_NICE", RLIMIT_NICE}, {"RLIMIT_NOFILE", RLIMIT_NOFILE},
	    {"RLIMIT_NPROC", RLIMIT_NPROC}, {"RLIMIT_RSS", RLIMIT_RSS},
	    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},
	    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		char json[512];
		struct herr err = {0};
		struct spec *s = NULL;

		snprintf(json, sizeof(json),
			 "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"r\"},\"process\":"
			 "{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0},"
			 "\"rlimits\":[{\"type\":\"%s\",\"soft\":1,\"hard\":2}]}}",
			 known[i].name);
		ck_assert_int_eq(spec_parse(json, strlen(json), "config.json", &s, &err), 0);
		ck_assert_int_eq(s->process->rlimits[0].resource, known[i].v);
		spec_free(s);
	}
}
END_TEST

START_TEST(test_defaults)
{
	for (int rootless = 0; rootless < 2; rootless++) {
		const char *json = spec_default_json(rootless);
		struct herr err = {0};
		struct spec *s = NULL;

		ck_assert_int_eq(spec_parse(json, strlen(json), "config.json", &s, &err), 0);
		ck_assert_str_eq(s->oci_version, "1.3.0");
		ck_assert_str_eq(s->hostname, "husk");
		ck_assert_uint_eq(s->n_mounts, 7);
		if (rootless) {
			ck_assert_ptr_nonnull(spec_find_ns(s, SPEC_NS_USER));
			ck_assert_ptr_null(spec_find_ns(s, SPEC_NS_NETWORK));
			ck_assert_uint_eq(s->linux_->uid_mappings[0].host_id, geteuid());
			ck_assert_uint_eq(s->linux_->gid_mappings[0].host_id, getegid());
			ck_assert_str_eq(s->mounts[5].type, "none");
			ck_assert_ptr_null(s->linux_->resources);
		} else {
			ck_assert_ptr_null(spec_find_ns(s, SPEC_NS_USER));
			ck_assert_str_eq(s->mounts[2].options[5], "gid=5");
			ck_assert_str_eq(s->mounts[5].type, "sysfs");
			ck_assert_uint_eq(s->linux_->resources->n_devices, 1);
		}
		spec_free(s);
	}
}
END_TEST

START_TEST(test_tables)
{
	ck_assert_str_eq(spec_ns_name(SPEC_NS_PID), "pid");
	ck_assert_str_eq(spec_ns_name(SPEC_NS_NETWORK), "network");
	ck_assert_str_eq(spec_ns_name(SPEC_NS_TIME), "time");
	ck_assert_ptr_null(spec_ns_name(SPEC_NS_NTYPES));
	ck_assert_int_eq(spec_ns_clone_flag(SPEC_NS_MOUNT), CLONE_NEWNS);
	ck_assert_int_eq(spec_ns_clone_flag(SPEC_NS_USER), CLONE_NEWUSER);
	ck_assert_int_eq(spec_ns_clone_flag(SPEC_NS_CGROUP), CLONE_NEWCGROUP);
	ck_assert_int_eq(spec_ns_clone_flag(SPEC_NS_TIME), 0x80);
	ck_assert_str_eq(spec_hook_name(SPEC_HOOK_PRESTART), "prestart");
	ck_assert_str_eq(spec_hook_name(SPEC_HOOK_START_CONTAINER), "startContainer");
	ck_assert_str_eq(spec_hook_name(SPEC_HOOK_POSTSTOP), "poststop");
	ck_assert_ptr_null(spec_hook_name(SPEC_HOOK_NKINDS));
	ck_assert_ptr_null(spec_find_ns(NULL, SPEC_NS_PID));
}
END_TEST

/* ---- bad configs: the exact message, JSON path included ---- */

struct bad_case {
	const char *json; /* single-quoted */
	const char *msg;
};

static const struct bad_case bad_cases[] = {
    /* JSON and top level */
    {"", "config.json: file is empty"},
    {" \n\t ", "config.json: file is empty"},
    {"[1,2]", "config.json: expected a JSON object at the top level, got array"},
    {"{'ociVersion':'1.3.0',\n 'root' {}}",
     "config.json: invalid JSON: parse error: object key and value must be separated by a "
     "colon (':') at line 2, column 9"},
    {"{'ociVersion':'1.3.0'", "config.json: invalid JSON: parse error: premature EOF at line 1, "
			      "column 22"},
    {"{} {}", "config.json: invalid JSON: parse error: trailing garbage at line 1, column 4"},
    {"{'a':'x\\u0000y'}", "config.json: invalid JSON: \\u0000 in a string at line 1, column 8"},
    {"{'a':tru}", "config.json: invalid JSON: lexical error: invalid string in json text at "
		  "line 1, column 8"},
    {"{'a':[1,]}", "config.json: invalid JSON: parse error: unallowed token at this point in "
		   "JSON text at line 1, column 9"},
    /* ociVersion, root, process */
    {"{'root':{'path':'r'},'process':{'args':['sh'],'cwd':'/'}}",
     "config.json: ociVersion: required field missing"},
    {CFG(",'ociVersion':5"), "config.json: ociVersion: expected a string, got number"},
    {CFG(",'ociVersion':'1.0'"),
     "config.json: ociVersion: expected a SemVer 2.0.0 version such as \"1.3.0\", got \"1.0\""},
    {CFG(",'ociVersion':'01.0.0'"),
     "config.json: ociVersion: expected a SemVer 2.0.0 version such as \"1.3.0\", got "
     "\"01.0.0\""},
    {"{'ociVersion':'1.3.0','process':{'args':['sh'],'cwd':'/'}}",
     "config.json: root: required field missing"},
    {CFG(",'root':{'path':''}"), "config.json: root.path: must not be empty"},
    {CFG(",'root':{'path':'r','readonly':'yes'}"),
     "config.json: root.readonly: expected a boolean, got string"},
    {CFG(",'root':[]"), "config.json: root: expected an object, got array"},
    {"{'ociVersion':'1.3.0','root':{'path':'r'}}", "config.json: process: required field missing"},
    {CFG(",'process':{'args':7,'cwd':'/'}"),
     "config.json: process.args: expected an array of strings, got number"},
    {CFG(",'process':{'args':['sh',1],'cwd':'/'}"),
     "config.json: process.args[1]: expected a string, got number"},
    {CFG(",'process':{'args':[],'cwd':'/'}"),
     "config.json: process.args: must contain at least one entry"},
    {CFG(",'process':{'cwd':'/'}"), "config.json: process.args: must contain at least one entry"},
    {CFG(",'process':{'args':['sh']}"), "config.json: process.cwd: required field missing"},
    {CFG(",'process':{'args':['sh'],'cwd':'rel'}"),
     "config.json: process.cwd: must be an absolute path, got \"rel\""},
    {PROC("'env':['PATH=/bin','NOEQUALS']"),
     "config.json: process.env[1]: expected \"KEY=value\", got \"NOEQUALS\""},
    {PROC("'user':{'uid':-1}"),
     "config.json: process.user.uid: expected an unsigned 32-bit integer, got -1"},
    {PROC("'user':{'uid':4294967296}"),
     "config.json: process.user.uid: expected an unsigned 32-bit integer, got 4294967296"},
    {PROC("'user':{'gid':1.5}"),
     "config.json: process.user.gid: expected an unsigned 32-bit integer, got 1.5"},
    {PROC("'user':{'gid':1e3}"),
     "config.json: process.user.gid: expected an unsigned 32-bit integer, got 1e3"},
    {PROC("'user':{'uid':'0'}"),
     "config.json: process.user.uid: expected an unsigned 32-bit integer, got string"},
    {PROC("'user':{'additionalGids':[1,-2]}"),
     "config.json: process.user.additionalGids[1]: expected an unsigned 32-bit integer, got -2"},
    {PROC("'user':{'umask':512}"),
     "config.json: process.user.umask: expected an integer from 0 to 511, got 512"},
    {PROC("'consoleSize':{'height':10}"),
     "config.json: process.consoleSize.width: required field missing"},
    {PROC("'rlimits':[{'type':'RLIMIT_FOO','hard':1,'soft':1}]"),
     "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
    {PROC("'rlimits':[{'type':'RLIMIT_NOFILE','hard':1,'soft':1},{'type':'RLIMIT_CORE','hard':"
	  "1,'soft':1},{'type':'RLIMIT_NOFILE','hard':2,'soft':2}]"),
     "config.json: process.rlimits[2]: duplicate rlimit \"RLIMIT_NOFILE\""},
    {PROC("'rlimits':[{'type':'RLIMIT_NOFILE','hard':1024,'soft':2048}]"),
     "config.json: process.rlimits[0]: soft limit 2048 is above hard limit 1024"},
    {PROC("'rlimits':[{'type':'RLIMIT_NOFILE','hard':18446744073709551616,'soft':1}]"),
     "config.json: process.rlimits[0].hard: expected an unsigned 64-bit integer, got "
     "18446744073709551616"},
    {PROC("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1}]"),
     "config.json: process.rlimits[0].hard: required field missing"},
    {PROC("'rlimits':['RLIMIT_NOFILE']"),
     "config.json: process.rlimits[0]: expected an object, got string"},
    {PROC("'capabilities':{'bounding':'CAP_KILL'}"),
     "config.json: process.capabilities.bounding: expected an array of strings, got string"},
    {PROC("'oomScoreAdj':1001"),
     "config.json: process.oomScoreAdj: expected an integer from -1000 to 1000, got 1001"},
    {PROC("'noNewPrivileges':1"),
     "config.json: process.noNewPrivileges: expected a boolean, got number"},
    {PROC("'scheduler':{'policy':'SCHED_FOO'}"),
     "config.json: process.scheduler.policy: unknown scheduler policy \"SCHED_FOO\""},
    {PROC("'scheduler':{'nice':1}"),
     "config.json: process.scheduler.policy: required field missing"},
    {PROC("'scheduler':{'policy':'SCHED_OTHER','flags':['SCHED_FLAG_FAST']}"),
     "config.json: process.scheduler.flags[0]: unknown scheduler flag \"SCHED_FLAG_FAST\""},
    {PROC("'scheduler':{'policy':'SCHED_OTHER','nice':20}"),
     "config.json: process.scheduler.nice: must be from -20 to 19 with SCHED_OTHER, got 20"},
    {PROC("'scheduler':{'policy':'SCHED_OTHER','priority':5}"),
     "config.json: process.scheduler.priority: only valid with SCHED_FIFO or SCHED_RR"},
    {PROC("'scheduler':{'policy':'SCHED_RR','priority':5,'runtime':1}"),
     "config.json: process.scheduler: runtime, deadline and period are only valid with "
     "SCHED_DEADLINE"},
    {PROC("'scheduler':{'policy':'SCHED_OTHER','nice':2147483648}"),
     "config.json: process.scheduler.nice: expected a 32-bit integer, got 2147483648"},
    {PROC("'ioPriority':{'class':'IOPRIO_CLASS_RT','priority':8}"),
     "config.json: process.ioPriority.priority: expected an integer from 0 to 7, got 8"},
    {PROC("'ioPriority':{'class':'IOPRIO_CLASS_NONE','priority':1}"),
     "config.json: process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_NONE\""},
    {PROC("'execCPUAffinity':{'initial':0}"),
     "config.json: process.execCPUAffinity.initial: expected a string, got number"},
    /* mounts */
    {CFG(",'mounts':{}"), "config.json: mounts: expected an array of objects, got object"},
    {CFG(",'mounts':[{'destination':'/a'},{'type':'tmpfs'}]"),
     "config.json: mounts[1].destination: required field missing"},
    {CFG(",'mounts':[{'destination':'/a'},{'destination':''}]"),
     "config.json: mounts[1].destination: must not be empty"},
    {CFG(",'mounts':[{'destination':'/a','options':'ro'}]"),
     "config.json: mounts[0].options: expected an array of strings, got string"},
    {CFG(",'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':1,'size':1}]}]"),
     "config.json: mounts[0].uidMappings: must be specified along with gidMappings"},
    {CFG(",'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':1}],"
	 "'gidMappings':[]}]"),
     "config.json: mounts[0].uidMappings[0].size: required field missing"},
    /* hooks */
    {CFG(",'hooks':{'prestart':[{'path':'rel'}]}"),
     "config.json: hooks.prestart[0].path: must be an absolute path, got \"rel\""},
    {CFG(",'hooks':{'poststop':[{'path':'/a'},{'path':'/b','timeout':0}]}"),
     "config.json: hooks.poststop[1].timeout: must be greater than zero, got 0"},
    {CFG(",'hooks':{'createRuntime':[{'args':['x']}]}"),
     "config.json: hooks.createRuntime[0].path: required field missing"},
    {CFG(",'hooks':{'startContainer':{'path':'/x'}}"),
     "config.json: hooks.startContainer: expected an array of objects, got object"},
    /* annotations */
    {CFG(",'annotations':{'a':1}"),
     "config.json: annotations[\"a\"]: expected a string, got number"},
    {CFG(",'annotations':{'':'x'}"),
     "config.json: annotations[\"\"]: annotation keys must not be empty"},
    {CFG(",'annotations':{'a':'1','a':'2'}"), "config.json: annotations: duplicate key \"a\""},
    /* linux.namespaces and what needs them */
    {LNX("'namespaces':[{'type':'pid'},{'type':'mount'},{'type':'pidd'}]"),
     "config.json: linux.namespaces[2].type: unknown namespace \"pidd\""},
    {LNX("'namespaces':[{'type':'pid'},{'type':'mount'},{'type':'ipc'},{'type':'pid'}]"),
     "config.json: linux.namespaces[3]: duplicate namespace \"pid\""},
    {LNX("'namespaces':[{'type':'network','path':'var/run/netns/x'}]"),
     "config.json: linux.namespaces[0].path: must be an absolute path, got \"var/run/netns/x\""},
    {LNX("'namespaces':[{'path':'/proc/1/ns/pid'}]"),
     "config.json: linux.namespaces[0].type: required field missing"},
    {LNX("'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':1000,"
	 "'size':1}]"),
     "config.json: linux.gidMappings: required when creating a user namespace"},
    {LNX("'namespaces':[{'type':'user'}]"),
     "config.json: linux.uidMappings: required when creating a user namespace"},
    {LNX("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],'gidMappings':["
	 "{'containerID':0,'hostID':1000,'size':1}]"),
     "config.json: linux.uidMappings: needs a user namespace in linux.namespaces"},
    {LNX("'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':-5,"
	 "'size':1}]"),
     "config.json: linux.uidMappings[0].hostID: expected an unsigned 32-bit integer, got -5"},
    {LNX("'timeOffsets':{'monotonic':{'secs':1}}"),
     "config.json: linux.timeOffsets: needs a time namespace in linux.namespaces"},
    {LNX("'namespaces':[{'type':'time','path':'/proc/1/ns/time'}],"
	 "'timeOffsets':{'boottime':{'secs':1}}"),
     "config.json: linux.timeOffsets: cannot be set when joining a time namespace by path"},
    {LNX("'namespaces':[{'type':'time'}],'timeOffsets':{'realtime':{'secs':1}}"),
     "config.json: linux.timeOffsets[\"realtime\"]: unknown clock (expected monotonic or "
     "boottime)"},
    {LNX("'namespaces':[{'type':'time'}],'timeOffsets':{'boottime':{'nanosecs':1000000000}}"),
     "config.json: linux.timeOffsets[\"boottime\"].nanosecs: expected an integer from 0 to "
     "999999999, got 1000000000"},
    {CFG(",'hostname':'h','linux':{'namespaces':[{'type':'mount'}]}"),
     "config.json: hostname: needs a uts namespace in linux.namespaces"},
    {CFG(",'domainname':'d'"),
     "config.json: domainname: needs a uts namespace in linux.namespaces"},
    {LNX("'maskedPaths':['/proc/kcore']"),
     "config.json: linux.maskedPaths: needs a mount namespace in linux.namespaces"},
    {LNX("'namespaces':[{'type':'mount'}],'readonlyPaths':['/proc/sys','proc/bus']"),
     "config.json: linux.readonlyPaths[1]: must be an absolute path, got \"proc/bus\""},
    /* sysctl */
    {LNX(NS_ALL ",'sysctl':{'kernel.shmmax':'1','kernel.shmmax':'2'}"),
     "config.json: linux.sysctl: duplicate key \"kernel.shmmax\""},
    {LNX(NS_ALL ",'sysctl':{'vm.swappiness':'10'}"),
     "config.json: linux.sysctl[\"vm.swappiness\"]: not in a separate kernel namespace: it "
     "would change the host"},
    {LNX("'namespaces':[{'type':'ipc'}],'sysctl':{'net.ipv4.ip_forward':'1'}"),
     "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: not allowed in the host network "
     "namespace"},
    {LNX("'namespaces':[{'type':'network','path':'/proc/self/ns/net'}],"
	 "'sysctl':{'net/ipv4/ip_forward':'1'}"),
     "config.json: linux.sysctl[\"net/ipv4/ip_forward\"]: not allowed in the host network "
     "namespace"},
    {LNX("'namespaces':[{'type':'network'}],'sysctl':{'fs.mqueue.msg_max':'1'}"),
     "config.json: linux.sysctl[\"fs.mqueue.msg_max\"]: needs an ipc namespace in "
     "linux.namespaces"},
    {LNX(NS_ALL ",'sysctl':{'kernel.hostname':'x'}"),
     "config.json: linux.sysctl[\"kernel.hostname\"]: conflicts with the \"hostname\" field, "
     "use that"},
    {LNX(NS_ALL ",'sysctl':{'user.max_user_namespaces':'0'}"),
     "config.json: linux.sysctl[\"user.max_user_namespaces\"]: needs a user namespace in "
     "linux.namespaces"},
    {LNX(NS_ALL ",'sysctl':{'kernel.msgmax':8192}"),
     "config.json: linux.sysctl[\"kernel.msgmax\"]: expected a string, got number"},
    {LNX("'sysctl':['kernel.msgmax=1']"),
     "config.json: linux.sysctl: expected an object, got array"},
    /* linux.resources */
    {LNX("'resources':{'devices':[{'allow':true,'type':'x'}]}"),
     "config.json: linux.resources.devices[0].type: unknown device type \"x\" (expected a, b or "
     "c)"},
    {LNX("'resources':{'devices':[{'allow':true,'access':'rwx'}]}"),
     "config.json: linux.resources.devices[0].access: expected a combination of r, w and m, got "
     "\"rwx\""},
    {LNX("'resources':{'devices':[{'access':'rwm'}]}"),
     "config.json: linux.resources.devices[0].allow: required field missing"},
    {LNX("'resources':{'memory':{'limit':9223372036854775808}}"),
     "config.json: linux.resources.memory.limit: expected a 64-bit integer, got "
     "9223372036854775808"},
    {LNX("'resources':{'memory':{'swappiness':101}}"),
     "config.json: linux.resources.memory.swappiness: expected an integer from 0 to 100, got 101"},
    {LNX("'resources':{'cpu':{'shares':-2}}"),
     "config.json: linux.resources.cpu.shares: expected an unsigned 64-bit integer, got -2"},
    {LNX("'resources':{'cpu':{'cpus':[0,1]}}"),
     "config.json: linux.resources.cpu.cpus: expected a string, got array"},
    {LNX("'resources':{'pids':{'limit':'max'}}"),
     "config.json: linux.resources.pids.limit: expected a 64-bit integer, got string"},
    {LNX("'resources':{'blockIO':{'weight':65536}}"),
     "config.json: linux.resources.blockIO.weight: expected an unsigned 16-bit integer, got "
     "65536"},
    {LNX("'resources':{'blockIO':{'weightDevice':[{'major':8,'minor':0}]}}"),
     "config.json: linux.resources.blockIO.weightDevice[0]: at least one of weight and "
     "leafWeight is required"},
    {LNX("'resources':{'blockIO':{'throttleWriteIOPSDevice':[{'major':8,'minor':0}]}}"),
     "config.json: linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: required field "
     "missing"},
    {LNX("'resources':{'hugepageLimits':[{'pageSize':'2M','limit':1}]}"),
     "config.json: linux.resources.hugepageLimits[0].pageSize: expected a size such as \"2MB\" "
     "or \"1GB\", got \"2M\""},
    {LNX("'resources':{'network':{'priorities':[{'name':'eth0','priority':-1}]}}"),
     "config.json: linux.resources.network.priorities[0].priority: expected an unsigned 32-bit "
     "integer, got -1"},
    {LNX("'resources':{'rdma':{'mlx5_1':{}}}"),
     "config.json: linux.resources.rdma[\"mlx5_1\"]: at least one of hcaHandles and hcaObjects "
     "is required"},
    {LNX("'resources':{'unified':{'memory.max':1024}}"),
     "config.json: linux.resources.unified[\"memory.max\"]: expected a string, got number"},
    /* linux.devices, netDevices */
    {LNX("'devices':[{'path':'/dev/foo','type':'x','major':1,'minor':1}]"),
     "config.json: linux.devices[0].type: unknown device type \"x\" (expected c, b, u or p)"},
    {LNX("'devices':[{'path':'/dev/foo','type':'c','major':1}]"),
     "config.json: linux.devices[0].minor: required field missing"},
    {LNX("'devices':[{'path':'dev/foo','type':'p'}]"),
     "config.json: linux.devices[0].path: must be an absolute path, got \"dev/foo\""},
    {LNX("'devices':[{'path':'/dev/foo','type':'c','major':1,'minor':1,'uid':-1}]"),
     "config.json: linux.devices[0].uid: expected an unsigned 32-bit integer, got -1"},
    {LNX("'netDevices':{'eth0':{}}"),
     "config.json: linux.netDevices: needs a network namespace in linux.namespaces"},
    {LNX("'namespaces':[{'type':'network'}],'netDevices':{'eth0':{'name':'a/b'}}"),
     "config.json: linux.netDevices[\"eth0\"].name: invalid network device name \"a/b\""},
    /* linux.seccomp */
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_FOO'}"),
     "config.json: linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_FOO\""},
    {LNX("'seccomp':{'architectures':['SCMP_ARCH_X86_64']}"),
     "config.json: linux.seccomp.defaultAction: required field missing"},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_Z80']}"),
     "config.json: linux.seccomp.architectures[0]: unknown seccomp architecture "
     "\"SCMP_ARCH_Z80\""},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_X']}"),
     "config.json: linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_X\""},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':[],'action':"
	 "'SCMP_ACT_ERRNO'}]}"),
     "config.json: linux.seccomp.syscalls[0].names: must contain at least one entry"},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':"
	 "'SCMP_ACT_ERRNO','args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]}"),
     "config.json: linux.seccomp.syscalls[0].args[0].index: expected an integer from 0 to 5, "
     "got 6"},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':"
	 "'SCMP_ACT_ERRNO','args':[{'index':0,'value':1,'op':'SCMP_CMP_EQUAL'}]}]}"),
     "config.json: linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator "
     "\"SCMP_CMP_EQUAL\""},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_KILL','defaultErrnoRet':1}"),
     "config.json: linux.seccomp.defaultErrnoRet: only valid with SCMP_ACT_ERRNO or "
     "SCMP_ACT_TRACE"},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','listenerMetadata':'x'}"),
     "config.json: linux.seccomp.listenerMetadata: must not be set without listenerPath"},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mount'],"
	 "'action':'SCMP_ACT_NOTIFY'}]}"),
     "config.json: linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs "
     "linux.seccomp.listenerPath"},
    {LNX("'seccomp':{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/s'}"),
     "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action"},
    /* the rest of linux.* */
    {LNX("'rootfsPropagation':'weird'"),
     "config.json: linux.rootfsPropagation: unknown propagation \"weird\" (expected [r]shared, "
     "[r]slave, [r]private or [r]unbindable)"},
    {LNX("'cgroupsPath':7"), "config.json: linux.cgroupsPath: expected a string, got number"},
    {LNX("'memoryPolicy':{'mode':'MPOL_FOO'}"),
     "config.json: linux.memoryPolicy.mode: unknown memory policy mode \"MPOL_FOO\""},
    {LNX("'memoryPolicy':{'mode':'MPOL_BIND'}"),
     "config.json: linux.memoryPolicy.nodes: mode MPOL_BIND needs at least one node"},
    {LNX("'memoryPolicy':{'mode':'MPOL_LOCAL','nodes':'0'}"),
     "config.json: linux.memoryPolicy.nodes: must be empty with mode MPOL_LOCAL"},
    {LNX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0-'}"),
     "config.json: linux.memoryPolicy.nodes: expected a node list such as \"0-3,7\", got \"0-\""},
    {LNX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0','flags':['MPOL_F_STATIC_NODES',"
	 "'MPOL_F_RELATIVE_NODES']}"),
     "config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES "
     "exclude each other"},
    {LNX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0','flags':['MPOL_F_LAZY']}"),
     "config.json: linux.memoryPolicy.flags[0]: unknown memory policy flag \"MPOL_F_LAZY\""},
    {LNX("'personality':{'domain':'LINUX64'}"),
     "config.json: linux.personality.domain: unknown personality domain \"LINUX64\""},
    {LNX("'intelRdt':{'closID':'../x'}"),
     "config.json: linux.intelRdt.closID: invalid CLOS id \"../x\""},
    {LNX("'intelRdt':{'memBwSchema':'L3:0=1'}"),
     "config.json: linux.intelRdt.memBwSchema: must start with \"MB:\""},
    {LNX("'intelRdt':{'schemata':['L3:0=1','MB:0=1\\nL2:0=1']}"),
     "config.json: linux.intelRdt.schemata[1]: must not contain newlines"},
    {LNX("'mountLabel':false"), "config.json: linux.mountLabel: expected a string, got boolean"},
};

START_TEST(test_bad_config)
{
	parse_fails(bad_cases[_i].json, bad_cases[_i].msg);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char json[] = "{\"ociVersion\":\"1.3.0\"\0}";
	struct herr err = {0};
	struct spec *s = NULL;

	ck_assert_int_lt(spec_parse(json, sizeof(json) - 1, "config.json", &s, &err), 0);
	ck_assert_str_eq(err.msg, "config.json: invalid JSON: NUL byte at line 1, column 22");
}
END_TEST

START_TEST(test_load_bundle)
{
	char dir[] = "/tmp/husk-test-spec-XXXXXX";
	char path[64];
	struct herr err = {0};
	struct spec *s = NULL;
	const char *json = spec_default_json(false);
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_lt(spec_load_bundle(dir, &s, &err), 0);
	ck_assert_int_eq(err.code, -ENOENT);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(json, f);
	fclose(f);
	ck_assert_int_eq(spec_load_bundle(dir, &s, &err), 0);
	ck_assert_str_eq(s->hostname, "husk");
	spec_free(s);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *spec_suite(void)
{
	Suite *s = suite_create("spec");
	TCase *good = tcase_create("good");
	TCase *bad = tcase_create("bad");

	tcase_add_test(good, test_runc_default);
	tcase_add_test(good, test_full_process);
	tcase_add_test(good, test_full_top);
	tcase_add_test(good, test_full_linux);
	tcase_add_test(good, test_full_resources);
	tcase_add_test(good, test_full_seccomp);
	tcase_add_test(good, test_nulls_and_unknown_fields);
	tcase_add_test(good, test_relative_mount_destination);
	tcase_add_test(good, test_not_nul_terminated);
	tcase_add_test(good, test_parse_process);
	tcase_add_test(good, test_defaults);
	tcase_add_test(good, test_rlimit_names);
	tcase_add_test(good, test_tables);
	tcase_add_test(good, test_load_bundle);
	tcase_add_loop_test(bad, test_bad_config, 0,
			    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(bad, test_nul_byte);
	suite_add_tcase(s, good);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return unit_run(spec_suite());
}
