// Command metrics-adapter serves custom.metrics.k8s.io for pods from Prometheus queries, for the local
// cluster (cluster/metrics.sh). It is built on sigs.k8s.io/custom-metrics-apiserver, the library
// prometheus-adapter is built on; prometheus-adapter itself is not served by the Go module proxy here.
//
// Each --rule NAME=QUERY makes the pods metric NAME. QUERY is PromQL returning one series per pod,
// labelled namespace and pod, in which <<.LabelMatchers>> stands for the namespace, the pods asked for
// and the request's metric selector, as in prometheus-adapter's metricsQuery. For example:
//
//	--rule 'model_requests_per_second=sum by (namespace, pod) (rate(model_requests_total{<<.LabelMatchers>>}[1m]))'
//
// Each --external-rule NAME=QUERY makes the external metric NAME (external.metrics.k8s.io), namespaced:
// <<.LabelMatchers>> stands for the namespace and the metric selector; every series the query returns is
// one value (an HPA adds them up). For example, the jobs waiting in a queue, which every worker reports:
//
//	--external-rule 'model_jobs_waiting=max by (namespace, model, track) (model_jobs_waiting{<<.LabelMatchers>>})'
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/component-base/logs"
	"k8s.io/klog/v2"
	"k8s.io/metrics/pkg/apis/custom_metrics"
	"k8s.io/metrics/pkg/apis/external_metrics"

	basecmd "sigs.k8s.io/custom-metrics-apiserver/pkg/cmd"
	"sigs.k8s.io/custom-metrics-apiserver/pkg/provider"
	"sigs.k8s.io/custom-metrics-apiserver/pkg/provider/helpers"
)

const placeholder = "<<.LabelMatchers>>"

// labelName is what a metric selector's key must be to become a PromQL label matcher.
var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

type rule struct {
	name  string
	query string
}

type promProvider struct {
	client     dynamic.Interface
	mapper     apimeta.RESTMapper
	prometheus string
	http       *http.Client
	rules      map[string]rule
	external   map[string]rule
}

var _ provider.CustomMetricsProvider = &promProvider{}
var _ provider.ExternalMetricsProvider = &promProvider{}

func (p *promProvider) ListAllExternalMetrics() []provider.ExternalMetricInfo {
	infos := make([]provider.ExternalMetricInfo, 0, len(p.external))
	for name := range p.external {
		infos = append(infos, provider.ExternalMetricInfo{Metric: name})
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Metric < infos[j].Metric })
	return infos
}

// GetExternalMetric runs the external rule in the namespace with the metric selector: one value a series.
func (p *promProvider) GetExternalMetric(ctx context.Context, namespace string, metricSelector labels.Selector, info provider.ExternalMetricInfo) (*external_metrics.ExternalMetricValueList, error) {
	r, ok := p.external[info.Metric]
	if !ok {
		return nil, provider.NewMetricNotFoundError(schema.GroupResource{Group: "external.metrics.k8s.io"}, info.Metric)
	}
	m, err := matchers(namespace, nil, metricSelector)
	if err != nil {
		return nil, err
	}
	series, err := p.run(ctx, strings.ReplaceAll(r.query, placeholder, m))
	if err != nil {
		return nil, err
	}
	list := &external_metrics.ExternalMetricValueList{Items: []external_metrics.ExternalMetricValue{}}
	for _, s := range series {
		if ns, ok := s.labels["namespace"]; ok && ns != namespace {
			continue
		}
		list.Items = append(list.Items, external_metrics.ExternalMetricValue{
			MetricName:   info.Metric,
			MetricLabels: s.labels,
			Timestamp:    metav1.NewTime(s.at),
			Value:        *resource.NewMilliQuantity(int64(s.value*1000+0.5), resource.DecimalSI),
		})
	}
	return list, nil
}

func (p *promProvider) ListAllMetrics() []provider.CustomMetricInfo {
	infos := make([]provider.CustomMetricInfo, 0, len(p.rules))
	for name := range p.rules {
		infos = append(infos, provider.CustomMetricInfo{GroupResource: podsResource(), Namespaced: true, Metric: name})
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Metric < infos[j].Metric })
	return infos
}

func podsResource() schema.GroupResource { return schema.GroupResource{Resource: "pods"} }

// ruleFor returns the rule for a request, or a not-found error for anything but a namespaced pods metric
// the adapter was configured with.
func (p *promProvider) ruleFor(info provider.CustomMetricInfo) (rule, provider.CustomMetricInfo, error) {
	normalized, _, err := info.Normalized(p.mapper)
	if err != nil {
		return rule{}, info, err
	}
	r, ok := p.rules[normalized.Metric]
	if !ok || normalized.GroupResource.Group != "" || normalized.GroupResource.Resource != "pods" || !normalized.Namespaced {
		return rule{}, normalized, provider.NewMetricNotFoundError(normalized.GroupResource, normalized.Metric)
	}
	return r, normalized, nil
}

func (p *promProvider) GetMetricByName(ctx context.Context, name types.NamespacedName, info provider.CustomMetricInfo, metricSelector labels.Selector) (*custom_metrics.MetricValue, error) {
	r, info, err := p.ruleFor(info)
	if err != nil {
		return nil, err
	}
	values, err := p.query(ctx, r, name.Namespace, []string{name.Name}, metricSelector)
	if err != nil {
		return nil, err
	}
	v, ok := values[name.Name]
	if !ok {
		return nil, provider.NewMetricNotFoundForError(info.GroupResource, info.Metric, name.Name)
	}
	return p.metricValue(name, info, metricSelector, v)
}

func (p *promProvider) GetMetricBySelector(ctx context.Context, namespace string, selector labels.Selector, info provider.CustomMetricInfo, metricSelector labels.Selector) (*custom_metrics.MetricValueList, error) {
	r, info, err := p.ruleFor(info)
	if err != nil {
		return nil, err
	}
	names, err := helpers.ListObjectNames(p.mapper, p.client, namespace, selector, info)
	if err != nil {
		return nil, err
	}
	list := &custom_metrics.MetricValueList{Items: []custom_metrics.MetricValue{}}
	if len(names) == 0 {
		return list, nil
	}
	values, err := p.query(ctx, r, namespace, names, metricSelector)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		v, ok := values[n]
		if !ok {
			continue // no series for this pod (yet): the HPA treats it as missing, as with prometheus-adapter
		}
		m, err := p.metricValue(types.NamespacedName{Namespace: namespace, Name: n}, info, metricSelector, v)
		if err != nil {
			return nil, err
		}
		list.Items = append(list.Items, *m)
	}
	return list, nil
}

type sample struct {
	value float64
	at    time.Time
}

func (p *promProvider) metricValue(name types.NamespacedName, info provider.CustomMetricInfo, metricSelector labels.Selector, v sample) (*custom_metrics.MetricValue, error) {
	ref, err := helpers.ReferenceFor(p.mapper, name, info)
	if err != nil {
		return nil, err
	}
	m := &custom_metrics.MetricValue{
		DescribedObject: ref,
		Metric:          custom_metrics.MetricIdentifier{Name: info.Metric},
		Timestamp:       metav1.NewTime(v.at),
		Value:           *resource.NewMilliQuantity(int64(v.value*1000+0.5), resource.DecimalSI),
	}
	if metricSelector != nil && !metricSelector.Empty() {
		sel, err := metav1.ParseToLabelSelector(metricSelector.String())
		if err != nil {
			return nil, err
		}
		m.Metric.Selector = sel
	}
	return m, nil
}

// matchers turns the namespace, the pod names (none: any pod) and the metric selector into PromQL label matchers.
func matchers(namespace string, pods []string, metricSelector labels.Selector) (string, error) {
	alternatives := make([]string, len(pods))
	for i, p := range pods {
		alternatives[i] = regexp.QuoteMeta(p)
	}
	out := []string{"namespace=" + strconv.Quote(namespace)}
	if len(pods) > 0 {
		out = append(out, "pod=~"+strconv.Quote(strings.Join(alternatives, "|")))
	}
	if metricSelector == nil {
		return strings.Join(out, ","), nil
	}
	reqs, _ := metricSelector.Requirements()
	for _, req := range reqs {
		key := req.Key()
		if !labelName.MatchString(key) {
			return "", fmt.Errorf("metric selector key %q is not a Prometheus label name", key)
		}
		values := req.Values().List()
		quoted := make([]string, len(values))
		for i, v := range values {
			quoted[i] = regexp.QuoteMeta(v)
		}
		anyOf := strconv.Quote(strings.Join(quoted, "|"))
		switch req.Operator() {
		case selection.Equals, selection.DoubleEquals:
			out = append(out, key+"="+strconv.Quote(values[0]))
		case selection.NotEquals:
			out = append(out, key+"!="+strconv.Quote(values[0]))
		case selection.In:
			out = append(out, key+"=~"+anyOf)
		case selection.NotIn:
			out = append(out, key+"!~"+anyOf)
		case selection.Exists:
			out = append(out, key+`!=""`)
		case selection.DoesNotExist:
			out = append(out, key+`=""`)
		default:
			return "", fmt.Errorf("metric selector operator %q is not supported", req.Operator())
		}
	}
	return strings.Join(out, ","), nil
}

type promResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		} `json:"result"`
	} `json:"data"`
}

// query runs the rule for the pods and returns each pod's value.
func (p *promProvider) query(ctx context.Context, r rule, namespace string, pods []string, metricSelector labels.Selector) (map[string]sample, error) {
	m, err := matchers(namespace, pods, metricSelector)
	if err != nil {
		return nil, err
	}
	series, err := p.run(ctx, strings.ReplaceAll(r.query, placeholder, m))
	if err != nil {
		return nil, err
	}
	out := make(map[string]sample, len(series))
	for _, s := range series {
		pod := s.labels["pod"]
		if pod == "" || s.labels["namespace"] != namespace {
			continue
		}
		out[pod] = s.sample
	}
	return out, nil
}

type series struct {
	labels map[string]string
	sample
}

// run sends an instant query to Prometheus and returns its series with a finite value.
func (p *promProvider) run(ctx context.Context, q string) ([]series, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.prometheus+"/api/v1/query", strings.NewReader(url.Values{"query": {q}}.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("querying Prometheus at %s: %w", p.prometheus, err)
	}
	defer resp.Body.Close()
	var body promResponse
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("Prometheus answered %s with no JSON body: %w", resp.Status, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("Prometheus refused the query %s: %s: %s", q, body.ErrorType, body.Error)
	}
	if body.Data.ResultType != "vector" {
		return nil, fmt.Errorf("the query %s returned a %s, not an instant vector", q, body.Data.ResultType)
	}
	out := make([]series, 0, len(body.Data.Result))
	for _, s := range body.Data.Result {
		ts, _ := s.Value[0].(float64)
		text, _ := s.Value[1].(string)
		v, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) { // NaN: no rate yet
			continue
		}
		out = append(out, series{labels: s.Metric, sample: sample{value: v, at: time.Unix(0, int64(ts*1e9))}})
	}
	klog.V(4).Infof("query %s: %d series", q, len(out))
	return out, nil
}

// parseRules reads NAME=QUERY flags; each query must hold the placeholder.
func parseRules(flag string, args []string) map[string]rule {
	rules := map[string]rule{}
	for _, arg := range args {
		name, query, ok := strings.Cut(arg, "=")
		if !ok || name == "" || !strings.Contains(query, placeholder) {
			klog.Fatalf("--%s %q: want NAME=QUERY with %s in the query", flag, arg, placeholder)
		}
		rules[name] = rule{name: name, query: query}
	}
	return rules
}

func main() {
	logs.InitLogs()
	defer logs.FlushLogs()

	cmd := &basecmd.AdapterBase{Name: "model-canary-metrics-adapter"}
	var prometheusURL string
	var ruleArgs, externalArgs []string
	cmd.Flags().StringVar(&prometheusURL, "prometheus-url", "http://127.0.0.1:9090", "URL of the Prometheus server the rules query")
	cmd.Flags().StringArrayVar(&ruleArgs, "rule", nil, "NAME=QUERY: the pods metric NAME, from the PromQL QUERY with "+placeholder+" (repeatable)")
	cmd.Flags().StringArrayVar(&externalArgs, "external-rule", nil, "NAME=QUERY: the external metric NAME, from the PromQL QUERY with "+placeholder+" (repeatable)")
	logs.AddFlags(cmd.Flags())
	if err := cmd.Flags().Parse(os.Args); err != nil {
		klog.Fatalf("unable to parse flags: %v", err)
	}

	rules := parseRules("rule", ruleArgs)
	external := parseRules("external-rule", externalArgs)
	if len(rules)+len(external) == 0 {
		klog.Fatalf("no --rule or --external-rule given: nothing to serve")
	}

	client, err := cmd.DynamicClient()
	if err != nil {
		klog.Fatalf("unable to construct dynamic client: %v", err)
	}
	mapper, err := cmd.RESTMapper()
	if err != nil {
		klog.Fatalf("unable to construct discovery REST mapper: %v", err)
	}
	p := &promProvider{
		client:     client,
		mapper:     mapper,
		prometheus: strings.TrimRight(prometheusURL, "/"),
		http:       &http.Client{Timeout: 15 * time.Second},
		rules:      rules,
		external:   external,
	}
	cmd.WithCustomMetrics(p)
	cmd.WithExternalMetrics(p)
	klog.Infof("serving %d pods metric(s) and %d external metric(s) from %s", len(rules), len(external), prometheusURL)
	if err := cmd.Run(context.Background()); err != nil {
		klog.Fatalf("unable to run the custom metrics adapter: %v", err)
	}
}
