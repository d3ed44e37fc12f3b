/*
 * gen_bpmn.c - write a large BPMN 2.0 file for the import benchmark.
 *
 *   gen_bpmn [-n TASKS] [-l LANES] [-o FILE]      (defaults: 100000, 8, stdout)
 *
 * One pool with LANES lanes; a start event, TASKS tasks of the usual types
 * spread over the lanes in runs, an exclusive split and join every 50 tasks
 * (two branches, one of them a single task), an end event; every flow named
 * by id with incoming/outgoing written; documentation on every tenth task;
 * and a full diagram (BPMN DI): a shape with bounds for each node (and a
 * label for events and gateways),
 * an edge with three or four waypoints for each flow. That is what real tools
 * write, and the diagram is most of the bytes: about 850 bytes per task, so
 * the default is about 84 MB. The output is deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const task_types[] = {
	"task", "userTask", "manualTask", "serviceTask", "userTask", "sendTask",
	"receiveTask", "businessRuleTask", "scriptTask", "userTask",
};

static const char *const lane_names[] = {
	"Patient", "Reception", "Triage nurse", "Physician", "Radiology", "Laboratory",
	"Bed management", "Hospital information system", "Pharmacy", "Porter",
};

static const char *const verbs[] = {
	"Check", "Record", "Review", "Confirm", "Prepare", "Send", "Receive", "Assess",
	"Update", "Approve", "Schedule", "Notify",
};

static const char *const things[] = {
	"patient record", "referral letter", "insurance details", "test results",
	"medication list", "bed request", "discharge note", "triage category",
	"consent form", "imaging order",
};

/* One node of the generated process. */
struct gnode {
	long id;                     /* 0 start, -1 end, else 1..; gateways 1e9 + k */
	const char *type;
	int lane;
	double x, y;
};

static FILE *out;
static long nflows;

static void
usage(void)
{
	fprintf(stderr, "usage: gen_bpmn [-n TASKS] [-l LANES] [-o FILE]\n");
	exit(2);
}

static void
node_id(char *buf, size_t size, long id)
{
	if (id == 0)
		snprintf(buf, size, "StartEvent_1");
	else if (id < 0)
		snprintf(buf, size, "EndEvent_1");
	else if (id >= 1000000000L)
		snprintf(buf, size, "Gateway_%07ld", id - 1000000000L);
	else
		snprintf(buf, size, "Activity_%07ld", id);
}

/* Record flow number nf from node index s to t. */
static void
add_flow(long *from, long *to, long (*in)[2], long (*outs)[2], long nf, long s, long t)
{
	from[nf] = s;
	to[nf] = t;
	outs[s][outs[s][0] >= 0 ? 1 : 0] = nf;
	in[t][in[t][0] >= 0 ? 1 : 0] = nf;
}

int
main(int argc, char **argv)
{
	long ntasks = 100000, i, k, ngw = 0, nnodes, j;
	int nlanes = 8, l;
	const char *path = NULL;
	struct gnode *nodes;
	long *flow_from, *flow_to, (*fin)[2], (*fout)[2];
	long nf = 0;
	char a[32], b[32];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			ntasks = atol(argv[++i]);
		else if (!strcmp(argv[i], "-l") && i + 1 < argc)
			nlanes = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			path = argv[++i];
		else
			usage();
	}
	if (ntasks < 1 || nlanes < 1 || nlanes > 10)
		usage();
	out = path ? fopen(path, "w") : stdout;
	if (!out) {
		perror(path);
		return 1;
	}

	/* The nodes in flow order, with a split/join pair every 50 tasks;
	 * flows refer to nodes by index. */
	nnodes = ntasks + 2 + 2 * (ntasks / 50 + 1);
	nodes = calloc((size_t)nnodes, sizeof *nodes);
	flow_from = calloc((size_t)nnodes * 2, sizeof *flow_from);
	flow_to = calloc((size_t)nnodes * 2, sizeof *flow_to);
	fin = malloc((size_t)nnodes * sizeof *fin);
	fout = malloc((size_t)nnodes * sizeof *fout);
	if (!nodes || !flow_from || !flow_to || !fin || !fout)
		return 1;
	for (i = 0; i < nnodes; i++)
		fin[i][0] = fin[i][1] = fout[i][0] = fout[i][1] = -1;
	k = 0;
	nodes[k++] = (struct gnode){ 0, "startEvent", 0, 0, 0 };
	for (i = 1; i <= ntasks; i++) {
		int lane = (int)((i / 7) % nlanes);

		if (i % 50 == 0 && i + 2 <= ntasks) {
			/* split, a task on each branch, join */
			long before = k - 1;

			nodes[k] = (struct gnode){ 1000000000L + ++ngw, "exclusiveGateway", lane, 0, 0 };
			nodes[k + 1] = (struct gnode){ i, task_types[i % 10], lane, 0, 0 };
			nodes[k + 2] = (struct gnode){ i + 1, task_types[(i + 1) % 10], lane, 0, 1 };
			nodes[k + 3] = (struct gnode){ 1000000000L + ++ngw, "exclusiveGateway", lane, 0, 0 };
			add_flow(flow_from, flow_to, fin, fout, nf++, before, k);
			add_flow(flow_from, flow_to, fin, fout, nf++, k, k + 1);
			add_flow(flow_from, flow_to, fin, fout, nf++, k, k + 2);
			add_flow(flow_from, flow_to, fin, fout, nf++, k + 1, k + 3);
			add_flow(flow_from, flow_to, fin, fout, nf++, k + 2, k + 3);
			k += 4;
			i++;
			continue;
		}
		nodes[k] = (struct gnode){ i, task_types[i % 10], lane, 0, 0 };
		add_flow(flow_from, flow_to, fin, fout, nf++, k - 1, k);
		k++;
	}
	nodes[k] = (struct gnode){ -1, "endEvent", nodes[k - 1].lane, 0, 0 };
	add_flow(flow_from, flow_to, fin, fout, nf++, k - 1, k);
	k++;
	nnodes = k;
	nflows = nf;
	for (i = 0; i < nnodes; i++) {
		nodes[i].x = 200 + 150.0 * (double)i;
		nodes[i].y = 80 + 200.0 * nodes[i].lane + 100 * nodes[i].y;
	}

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" "
	        "xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" "
	        "xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" "
	        "xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" "
	        "id=\"Definitions_1\" targetNamespace=\"http://bpmn.io/schema/bpmn\" "
	        "exporter=\"stepmap gen_bpmn\" exporterVersion=\"1\">\n"
	        "  <bpmn:collaboration id=\"Collaboration_1\">\n"
	        "    <bpmn:participant id=\"Participant_1\" name=\"Emergency admission\" "
	        "processRef=\"Process_1\" />\n"
	        "  </bpmn:collaboration>\n"
	        "  <bpmn:process id=\"Process_1\" isExecutable=\"false\">\n"
	        "    <bpmn:laneSet id=\"LaneSet_1\">\n");
	for (l = 0; l < nlanes; l++) {
		fprintf(out, "      <bpmn:lane id=\"Lane_%d\" name=\"%s\">\n", l + 1, lane_names[l]);
		for (i = 0; i < nnodes; i++)
			if (nodes[i].lane == l) {
				node_id(a, sizeof a, nodes[i].id);
				fprintf(out, "        <bpmn:flowNodeRef>%s</bpmn:flowNodeRef>\n", a);
			}
		fprintf(out, "      </bpmn:lane>\n");
	}
	fprintf(out, "    </bpmn:laneSet>\n");
	for (i = 0; i < nnodes; i++) {
		node_id(a, sizeof a, nodes[i].id);
		fprintf(out, "    <bpmn:%s id=\"%s\"", nodes[i].type, a);
		if (nodes[i].id > 0 && nodes[i].id < 1000000000L)
			fprintf(out, " name=\"%s %s %ld\"", verbs[nodes[i].id % 12],
			        things[(nodes[i].id / 12) % 10], nodes[i].id);
		else if (nodes[i].id == 0)
			fprintf(out, " name=\"Patient arrives\"");
		else if (nodes[i].id < 0)
			fprintf(out, " name=\"Patient admitted\"");
		fprintf(out, ">\n");
		if (nodes[i].id > 0 && nodes[i].id < 1000000000L && nodes[i].id % 10 == 3)
			fprintf(out, "      <bpmn:documentation>Step %ld: ask before doing it; "
			        "often waits for the form.</bpmn:documentation>\n", nodes[i].id);
		for (j = 0; j < 2; j++)
			if (fin[i][j] >= 0)
				fprintf(out, "      <bpmn:incoming>Flow_%07ld</bpmn:incoming>\n",
				        fin[i][j] + 1);
		for (j = 0; j < 2; j++)
			if (fout[i][j] >= 0)
				fprintf(out, "      <bpmn:outgoing>Flow_%07ld</bpmn:outgoing>\n",
				        fout[i][j] + 1);
		fprintf(out, "    </bpmn:%s>\n", nodes[i].type);
	}
	for (i = 0; i < nflows; i++) {
		node_id(a, sizeof a, nodes[flow_from[i]].id);
		node_id(b, sizeof b, nodes[flow_to[i]].id);
		fprintf(out, "    <bpmn:sequenceFlow id=\"Flow_%07ld\" sourceRef=\"%s\" "
		        "targetRef=\"%s\"%s />\n", i + 1, a, b,
		        !strncmp(a, "Gateway", 7) && !strncmp(b, "Activity", 8) ? " name=\"yes\"" : "");
	}
	fprintf(out, "  </bpmn:process>\n"
	        "  <bpmndi:BPMNDiagram id=\"BPMNDiagram_1\">\n"
	        "    <bpmndi:BPMNPlane id=\"BPMNPlane_1\" bpmnElement=\"Collaboration_1\">\n"
	        "      <bpmndi:BPMNShape id=\"Participant_1_di\" bpmnElement=\"Participant_1\" "
	        "isHorizontal=\"true\">\n"
	        "        <dc:Bounds x=\"100\" y=\"40\" width=\"%.0f\" height=\"%d\" />\n"
	        "      </bpmndi:BPMNShape>\n", 150.0 * (double)nnodes + 200, 200 * nlanes);
	for (l = 0; l < nlanes; l++)
		fprintf(out, "      <bpmndi:BPMNShape id=\"Lane_%d_di\" bpmnElement=\"Lane_%d\" "
		        "isHorizontal=\"true\">\n"
		        "        <dc:Bounds x=\"130\" y=\"%d\" width=\"%.0f\" height=\"200\" />\n"
		        "      </bpmndi:BPMNShape>\n", l + 1, l + 1, 40 + 200 * l,
		        150.0 * (double)nnodes + 170);
	for (i = 0; i < nnodes; i++) {
		int task = nodes[i].id > 0 && nodes[i].id < 1000000000L;
		double w = task ? 100 : nodes[i].id >= 1000000000L ? 50 : 36;
		double h = task ? 80 : w;

		node_id(a, sizeof a, nodes[i].id);
		fprintf(out, "      <bpmndi:BPMNShape id=\"%s_di\" bpmnElement=\"%s\">\n"
		        "        <dc:Bounds x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" />\n",
		        a, a, nodes[i].x, nodes[i].y, w, h);
		if (!task)  /* events and gateways carry their label outside the shape */
			fprintf(out, "        <bpmndi:BPMNLabel>\n"
			        "          <dc:Bounds x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"27\" />\n"
			        "        </bpmndi:BPMNLabel>\n", nodes[i].x, nodes[i].y + h + 5, w);
		fprintf(out, "      </bpmndi:BPMNShape>\n");
	}
	for (i = 0; i < nflows; i++) {
		const struct gnode *s = &nodes[flow_from[i]], *t = &nodes[flow_to[i]];

		fprintf(out, "      <bpmndi:BPMNEdge id=\"Flow_%07ld_di\" bpmnElement=\"Flow_%07ld\">\n"
		        "        <di:waypoint x=\"%.0f\" y=\"%.0f\" />\n"
		        "        <di:waypoint x=\"%.0f\" y=\"%.0f\" />\n"
		        "        <di:waypoint x=\"%.0f\" y=\"%.0f\" />\n"
		        "      </bpmndi:BPMNEdge>\n", i + 1, i + 1,
		        s->x + 100, s->y + 40, (s->x + t->x) / 2 + 50, s->y + 40, t->x, t->y + 40);
	}
	fprintf(out, "    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>\n");
	free(nodes);
	free(flow_from);
	free(flow_to);
	free(fin);
	free(fout);
	if (path && fclose(out) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
