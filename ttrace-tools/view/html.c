/*
 * `html`: one self-contained HTML file (no network, no external script or
 * style) with a zoomable timeline: one lane per CPU (which thread ran when,
 * coloured per process; loss markers in red) and one lane per process (its
 * threads' run time, syscalls as a thinner band below).  Mouse wheel zooms
 * around the pointer, dragging pans, "+", "-" and "0" keys or buttons zoom
 * and reset; hovering shows what a slice is.
 *
 * The C side only emits data (a JSON object in a <script> element): times
 * in ns from the first event, run slices per CPU [start, end, tid],
 * syscall slices [start, end, tid, nr], loss markers [time, cpu, count],
 * thread names and processes.  The page's script builds the lanes as
 * div.lane elements (data-cpu / data-pid), so a DOM dump shows them, and
 * draws each on its own canvas.
 */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "tt.h"

static const char page_head[] =
"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ttrace</title>\n<style>\n"
"body{font:12px sans-serif;margin:0;background:#fafafa;color:#222}\n"
"#bar{padding:6px 10px;background:#263238;color:#eee;display:flex;gap:12px;align-items:center}\n"
"#bar button{font:inherit;padding:1px 8px}\n"
".lane{display:flex;align-items:center;border-bottom:1px solid #ddd;height:26px}\n"
".lane.proc-lane{height:22px}\n"
".lane .label{width:170px;flex:none;padding-left:8px;overflow:hidden;white-space:nowrap}\n"
".lane canvas{flex:1;height:100%;display:block}\n"
"h2{font-size:13px;margin:8px 8px 2px}\n"
"#tip{position:fixed;pointer-events:none;background:#fff;border:1px solid #888;padding:3px 6px;"
"display:none;white-space:pre}\n"
"#axis{height:18px}\n"
"</style></head><body>\n"
"<div id=\"bar\"><b>ttrace</b><span id=\"info\"></span><button id=\"zin\">+</button>"
"<button id=\"zout\">-</button><button id=\"zreset\">reset</button><span id=\"range\"></span></div>\n"
"<div class=\"lane\" id=\"axisrow\"><div class=\"label\">time</div><canvas id=\"axis\"></canvas></div>\n"
"<h2>CPUs</h2><div id=\"cpus\"></div><h2>Processes</h2><div id=\"procs\"></div>\n"
"<div id=\"tip\"></div>\n<script id=\"ttrace-data\" type=\"application/json\">\n";

static const char page_tail[] =
"</script>\n<script>\n"
"'use strict';\n"
"const D=JSON.parse(document.getElementById('ttrace-data').textContent);\n"
"const names=D.names, procOf=D.procOf;\n"
"let v0=0, v1=Math.max(D.span,1);\n"
"const lanes=[];\n"
"function color(pid){if(!pid)return '#bbb';const h=(pid*137.508)%360;return 'hsl('+h+',55%,55%)';}\n"
"function fmt(ns){if(ns>=1e9)return (ns/1e9).toFixed(6)+' s';if(ns>=1e6)return (ns/1e6).toFixed(3)+' ms';"
"if(ns>=1e3)return (ns/1e3).toFixed(3)+' us';return ns.toFixed(0)+' ns';}\n"
"function lane(parent,cls,label,attr,val,draw,hit){const d=document.createElement('div');"
"d.className='lane '+cls;d.setAttribute(attr,val);const l=document.createElement('div');"
"l.className='label';l.textContent=label;const c=document.createElement('canvas');d.appendChild(l);"
"d.appendChild(c);parent.appendChild(d);lanes.push({c:c,draw:draw,hit:hit});return d;}\n"
"function xs(c,t){return (t-v0)/(v1-v0)*c.clientWidth;}\n"
"function bars(ctx,c,list,y,h,col){for(const s of list){if(s[1]<v0||s[0]>v1)continue;"
"const a=Math.max(0,xs(c,s[0])),b=Math.min(c.clientWidth,xs(c,s[1]));ctx.fillStyle=col(s);"
"ctx.fillRect(a,y,Math.max(b-a,1),h);}}\n"
"function find(list,t,slack){for(const s of list)if(t>=s[0]-slack&&t<=s[1]+slack)return s;return null;}\n"
"document.getElementById('info').textContent=D.ncpus+' CPUs, '+D.nevents+' events, '+fmt(D.span)+"
"(D.lost?', '+D.lost+' lost':'');\n"
"for(let c=0;c<D.ncpus;c++){const runs=D.cpus[c]||[];const lost=(D.lost_marks||[]).filter(m=>m[1]==c);"
"lane(document.getElementById('cpus'),'cpu-lane','CPU '+c,'data-cpu',c,function(ctx,cv){"
"bars(ctx,cv,runs,3,cv.clientHeight-6,s=>color(procOf[s[2]]));"
"ctx.fillStyle='#d00';for(const m of lost){if(m[0]<v0||m[0]>v1)continue;ctx.fillRect(xs(cv,m[0])-1,0,3,cv.clientHeight);}},"
"function(t,slack){const s=find(runs,t,slack);if(s)return (names[s[2]]||'?')+'-'+s[2]+' on CPU '+c+'\\n'+fmt(s[1]-s[0])+' from '+fmt(s[0]);"
"for(const m of lost)if(Math.abs(m[0]-t)<=slack*3)return m[2]+' events lost on CPU '+c;return null;});}\n"
"for(const p of D.procs){const runs=[],sys=D.sys.filter(s=>procOf[s[2]]==p.pid);"
"for(let c=0;c<D.ncpus;c++)for(const s of (D.cpus[c]||[]))if(procOf[s[2]]==p.pid)runs.push(s);"
"lane(document.getElementById('procs'),'proc-lane',p.name+' ('+p.pid+')','data-pid',p.pid,function(ctx,cv){"
"const h=cv.clientHeight;bars(ctx,cv,runs,2,h*0.55,s=>color(p.pid));bars(ctx,cv,sys,h*0.65,h*0.3,s=>'#455a64');},"
"function(t,slack){let s=find(sys,t,slack);if(s)return (D.sysnames[s[3]]||('syscall '+s[3]))+' by '+(names[s[2]]||'')+'-'+s[2]+'\\n'+fmt(s[1]-s[0]);"
"s=find(runs,t,slack);return s?(names[s[2]]||'?')+'-'+s[2]+' running\\n'+fmt(s[1]-s[0]):null;});}\n"
"function drawAxis(){const c=document.getElementById('axis'),ctx=prep(c);const w=c.clientWidth;"
"const step=Math.pow(10,Math.floor(Math.log10((v1-v0)/5||1)));ctx.fillStyle='#333';"
"for(let t=Math.ceil(v0/step)*step;t<=v1;t+=step){const x=xs(c,t);ctx.fillRect(x,10,1,8);ctx.fillText(fmt(t),x+2,9);}}\n"
"function prep(c){const r=window.devicePixelRatio||1;c.width=c.clientWidth*r;c.height=c.clientHeight*r;"
"const ctx=c.getContext('2d');ctx.setTransform(r,0,0,r,0,0);ctx.clearRect(0,0,c.clientWidth,c.clientHeight);ctx.font='10px sans-serif';return ctx;}\n"
"function redraw(){for(const l of lanes)l.draw(prep(l.c),l.c);drawAxis();"
"document.getElementById('range').textContent=fmt(v0)+' .. '+fmt(v1);}\n"
"function zoom(f,at){const t=v0+(v1-v0)*at;let n0=t-(t-v0)*f,n1=t+(v1-t)*f;if(n1-n0<100){n0=t-50;n1=t+50;}"
"v0=Math.max(0,n0);v1=Math.min(Math.max(D.span,1),n1);redraw();}\n"
"document.getElementById('zin').onclick=()=>zoom(0.5,0.5);document.getElementById('zout').onclick=()=>zoom(2,0.5);"
"document.getElementById('zreset').onclick=()=>{v0=0;v1=Math.max(D.span,1);redraw();};\n"
"document.addEventListener('keydown',e=>{if(e.key=='+'||e.key=='=')zoom(0.5,0.5);if(e.key=='-')zoom(2,0.5);"
"if(e.key=='0'){v0=0;v1=Math.max(D.span,1);redraw();}});\n"
"let drag=null;const tip=document.getElementById('tip');\n"
"for(const l of lanes){const c=l.c;"
"c.addEventListener('wheel',e=>{e.preventDefault();zoom(e.deltaY<0?0.8:1.25,e.offsetX/c.clientWidth);});"
"c.addEventListener('mousedown',e=>{drag={x:e.clientX,v0:v0,v1:v1,w:c.clientWidth};});"
"c.addEventListener('mousemove',e=>{if(drag)return;const t=v0+(v1-v0)*e.offsetX/c.clientWidth;"
"const s=l.hit(t,(v1-v0)/c.clientWidth*2);if(s){tip.style.display='block';tip.textContent=s;"
"tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px';}else tip.style.display='none';});"
"c.addEventListener('mouseleave',()=>tip.style.display='none');}\n"
"window.addEventListener('mousemove',e=>{if(!drag)return;const dt=(e.clientX-drag.x)/drag.w*(drag.v1-drag.v0);"
"let a=drag.v0-dt,b=drag.v1-dt;if(a<0){b-=a;a=0;}v0=a;v1=b;redraw();});\n"
"window.addEventListener('mouseup',()=>drag=null);window.addEventListener('resize',redraw);\n"
"redraw();\n"
"</script></body></html>\n";

static uint8_t *seen_last;	/* per event: the last one of its thread */

/* Whether event i is its thread's last (computed once per export). */
static int last_of_tid(const struct tt_trace *t, size_t i)
{
	return t->ev[i].rec->tid && seen_last && seen_last[i];
}

/* qsort order: descending keys. */
static int cmp_tid_desc(const void *a, const void *b)
{
	const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Mark each thread's last event; without memory no event is marked. */
static void mark_last(const struct tt_trace *t)
{
	uint64_t *k = malloc((t->nev + 1) * sizeof(*k));

	free(seen_last);
	seen_last = calloc(t->nev + 1, 1);
	if (!k || !seen_last) {
		free(k);
		return;
	}
	for (size_t i = 0; i < t->nev; i++)	/* tid, then index: descending sort puts the last first */
		k[i] = (uint64_t)t->ev[i].rec->tid << 32 | i;
	qsort(k, t->nev, sizeof(*k), cmp_tid_desc);
	for (size_t i = 0; i < t->nev; i++)
		if (i == 0 || k[i] >> 32 != k[i - 1] >> 32)
			seen_last[(uint32_t)k[i]] = 1;
	free(k);
}

/* Returns 0, or 1 if out of memory or writing failed. */
int tt_html(struct tt_trace *t, FILE *out)
{
	unsigned int ncpu = t->hdr.ncpus;
	uint64_t base = t->nev ? t->ev[0].ns : 0, span = t->nev ? t->ev[t->nev - 1].ns - base : 0;
	uint64_t *since = calloc(ncpu, sizeof(*since)), *last = calloc(ncpu, sizeof(*last));
	uint32_t *cur = calloc(ncpu, sizeof(*cur));
	size_t nsys = 0, cap = 0;
	struct { uint32_t tid, nr; uint64_t start; } *open = NULL;
	int first;

	if (!since || !last || !cur) {
		free(since);
		free(last);
		free(cur);
		return 1;
	}
	mark_last(t);
	fputs(page_head, out);
	fprintf(out, "{\"ncpus\":%u,\"nevents\":%zu,\"span\":%" PRIu64 ",\"lost\":%" PRIu64 ",\n\"cpus\":[",
		ncpu, t->nev, span, t->lost_total);
	for (unsigned int c = 0; c < ncpu; c++) {
		first = 1;
		fprintf(out, "%s[", c ? "],\n" : "");
		for (size_t i = 0; i < t->nev; i++) {
			const struct tt_event *e = &t->ev[i];
			const struct ttrace_sched_switch *p;

			if (e->rec->cpu != c)
				continue;
			last[c] = e->ns;
			if (e->rec->type != TTRACE_REC_SCHED_SWITCH)
				continue;
			p = TT_PAYLOAD(e, struct ttrace_sched_switch);
			if (cur[c])
				fprintf(out, "%s[%" PRIu64 ",%" PRIu64 ",%u]", first ? (first = 0, "") : ",",
					since[c] - base, e->ns - base, cur[c]);
			cur[c] = p->next_tid;
			since[c] = e->ns;
		}
		if (cur[c] && last[c] > since[c])
			fprintf(out, "%s[%" PRIu64 ",%" PRIu64 ",%u]", first ? "" : ",", since[c] - base,
				last[c] - base, cur[c]);
	}
	fprintf(out, "%s],\n\"sys\":[", ncpu ? "]" : "");
	first = 1;
	for (size_t i = 0; i < t->nev; i++) {
		const struct tt_event *e = &t->ev[i];
		size_t k;

		if (e->rec->type != TTRACE_REC_SYS_ENTER && e->rec->type != TTRACE_REC_SYS_EXIT)
			continue;
		for (k = 0; k < nsys && open[k].tid != e->rec->tid; k++)
			;
		if (e->rec->type == TTRACE_REC_SYS_ENTER) {
			if (k == nsys) {
				if (nsys == cap) {
					void *n = realloc(open, (cap = cap ? cap * 2 : 64) * sizeof(*open));

					if (!n)
						break;
					open = n;
				}
				nsys++;
			}
			open[k].tid = e->rec->tid;
			open[k].nr = TT_PAYLOAD(e, struct ttrace_sys_enter)->nr;
			open[k].start = e->ns;
		} else if (k < nsys && open[k].nr == TT_PAYLOAD(e, struct ttrace_sys_exit)->nr) {
			fprintf(out, "%s[%" PRIu64 ",%" PRIu64 ",%u,%u]", first ? (first = 0, "") : ",",
				open[k].start - base, e->ns - base, e->rec->tid, open[k].nr);
			open[k].nr = UINT32_MAX;
		}
	}
	fprintf(out, "],\n\"lost_marks\":[");
	first = 1;
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].rec->type == TTRACE_REC_LOST)
			fprintf(out, "%s[%" PRIu64 ",%u,%" PRIu64 "]", first ? (first = 0, "") : ",",
				t->ev[i].ns - base, t->ev[i].rec->cpu,
				TT_PAYLOAD(&t->ev[i], struct ttrace_lost)->count);
	/* Thread names and processes: the name table, then the last the events showed. */
	fprintf(out, "],\n\"names\":{");
	first = 1;
	for (size_t i = 0; i < t->nprocs; i++) {
		fprintf(out, "%s\"%u\":", first ? (first = 0, "") : ",", t->procs[i].tid);
		tt_json_str(out, t->procs[i].comm);
	}
	for (size_t i = 0; i < t->nev; i++)
		if (last_of_tid(t, i)) {
			fprintf(out, "%s\"%u\":", first ? (first = 0, "") : ",", t->ev[i].rec->tid);
			tt_json_str(out, t->ev[i].comm ? t->ev[i].comm : "?");
		}
	fprintf(out, "},\n\"procOf\":{");
	first = 1;
	for (size_t i = 0; i < t->nprocs; i++)
		fprintf(out, "%s\"%u\":%u", first ? (first = 0, "") : ",", t->procs[i].tid, t->procs[i].pid);
	for (size_t i = 0; i < t->nev; i++)
		if (last_of_tid(t, i))
			fprintf(out, "%s\"%u\":%u", first ? (first = 0, "") : ",", t->ev[i].rec->tid,
				t->ev[i].pid);
	fprintf(out, "},\n\"procs\":[");
	first = 1;
	for (size_t i = 0; i < t->nprocs; i++) {
		if (t->procs[i].tid != t->procs[i].pid)
			continue;
		fprintf(out, "%s{\"pid\":%u,\"name\":", first ? (first = 0, "") : ",", t->procs[i].pid);
		tt_json_str(out, t->procs[i].comm);
		fprintf(out, "}");
	}
	fprintf(out, "],\n\"sysnames\":{");
	for (size_t i = 0; i < t->nsys; i++) {
		fprintf(out, "%s\"%u\":", i ? "," : "", t->sys[i].nr);
		tt_json_str(out, t->sys[i].name);
	}
	fprintf(out, "}}\n");
	fputs(page_tail, out);
	free(since);
	free(last);
	free(cur);
	free(open);
	free(seen_last);
	seen_last = NULL;
	return ferror(out) ? 1 : 0;
}
