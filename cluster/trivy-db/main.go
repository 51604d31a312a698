// Command trivy-db-builder writes a small Trivy vulnerability database (trivy.db + metadata.json) from a
// YAML file of invented advisories, so tests can run the real Trivy CLI offline.
//
// It writes through trivy-db's own code, the same way trivy-db's Debian source does:
//   - advisories go into the "advisory-detail" bucket under the Debian bucket name of their release
//     (bucket.NewDebian("12") = "debian 12") keyed by the Debian SOURCE package name, with
//     db.Config.PutAdvisoryDetail; the package-specific severity goes into types.Advisory.Severity,
//     as Debian's urgency does;
//   - titles, descriptions, severities and references go into "vulnerability-detail" under the
//     "debian" source with db.Config.PutVulnerabilityDetail;
//   - every ID is registered with PutVulnerabilityID and the release's data source with PutDataSource;
//   - vulndb.TrivyDB.Build then runs trivy-db's own optimize and cleanup passes (advisory-detail ->
//     "debian 12" buckets, vulnerability-detail -> normalized "vulnerability" bucket) and writes
//     metadata.json with db.SchemaVersion.
//
// metadata.json is then rewritten with NextUpdate far in the future and DownloadedAt set, so Trivy never
// tries to download a newer database, even without --skip-db-update.
//
// Usage: trivy-db-builder -input advisories.yaml -output DIR   (writes DIR/trivy.db and DIR/metadata.json)
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	debver "github.com/knqyf263/go-deb-version"
	bolt "go.etcd.io/bbolt"
	"go.yaml.in/yaml/v4"

	"github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
	"github.com/aquasecurity/trivy-db/pkg/types"
	"github.com/aquasecurity/trivy-db/pkg/vulndb"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc/bucket"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc/vulnerability"
)

// sourceID is the data source every advisory is filed under. It must be Debian's, so Trivy's Debian
// detector reads the advisories and picks their severity as it does for real Debian data.
const sourceID = vulnerability.Debian

// nextUpdateIn puts NextUpdate far in the future: Trivy never considers this database stale.
const nextUpdateIn = 100 * 365 * 24 * time.Hour

// testID is the only shape of ID accepted: invented IDs that cannot be mistaken for real advisories.
var testID = regexp.MustCompile(`^(MCTEST-[0-9]{4,}|CVE-0000-[0-9]{4,})$`)

var majorVersion = regexp.MustCompile(`^[0-9]+$`)

// File is the input: a list of advisories.
type File struct {
	// Release is the default Debian major version ("12" for bookworm) of the advisories.
	Release    string     `yaml:"release"`
	Advisories []Advisory `yaml:"advisories"`
}

// Advisory is one invented advisory for one Debian source package in one release.
type Advisory struct {
	ID string `yaml:"id"`
	// Package is the Debian SOURCE package name (e.g. "zlib", not "zlib1g"): Trivy looks advisories
	// up by source package and reports every installed binary package built from it.
	Package string `yaml:"package"`
	// Release overrides File.Release (a Debian major version such as "11" or "12").
	Release string `yaml:"release"`
	// FixedVersion is the first fixed Debian version of the source package; empty means unfixed.
	FixedVersion string `yaml:"fixedVersion"`
	// Status of an unfixed advisory: affected (default), will_not_fix, fix_deferred or end_of_life.
	Status      string   `yaml:"status"`
	Severity    string   `yaml:"severity"` // UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	References  []string `yaml:"references"`
	VendorIDs   []string `yaml:"vendorIds"`
	CVSSv3      *struct {
		Vector string  `yaml:"vector"`
		Score  float64 `yaml:"score"`
	} `yaml:"cvssV3"`
}

func main() {
	input := flag.String("input", "", "YAML file of advisories")
	output := flag.String("output", "", "directory to write trivy.db and metadata.json into")
	flag.Parse()
	if *input == "" || *output == "" {
		fmt.Fprintln(os.Stderr, "usage: trivy-db-builder -input advisories.yaml -output DIR")
		os.Exit(2)
	}
	if err := run(*input, *output); err != nil {
		fmt.Fprintf(os.Stderr, "trivy-db-builder: %v\n", err)
		os.Exit(1)
	}
}

func run(input, output string) error {
	file, err := load(input)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(output, 0o755); err != nil {
		return err
	}
	// Start from nothing: bolt would otherwise add to an existing file.
	for _, name := range []string{filepath.Base(db.Path(output)), filepath.Base(metadata.Path(output))} {
		if err := os.Remove(filepath.Join(output, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}

	if err := db.Init(output); err != nil {
		return fmt.Errorf("open %s: %w", db.Path(output), err)
	}
	now := time.Now().UTC()
	src := advisorySource{file: file}
	build := vulndb.New(input, output, nextUpdateIn, vulndb.WithVulnSrcs(map[types.SourceID]vulnsrc.VulnSrc{src.Name(): src}))
	buildErr := build.Build([]string{string(src.Name())})
	if err := db.Close(); err != nil && buildErr == nil {
		buildErr = err
	}
	if buildErr != nil {
		return fmt.Errorf("build: %w", buildErr)
	}

	// vulndb wrote Version, NextUpdate and UpdatedAt; add DownloadedAt so Trivy treats the database as
	// fresh even without --skip-db-update.
	meta := metadata.NewClient(output)
	md, err := meta.Get()
	if err != nil {
		return err
	}
	md.Version = db.SchemaVersion
	md.UpdatedAt = now
	md.NextUpdate = now.Add(nextUpdateIn)
	md.DownloadedAt = now
	if err := meta.Update(md); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "trivy-db-builder: wrote %d advisories to %s (schema %d)\n", len(file.Advisories), output, db.SchemaVersion)
	return nil
}

func load(path string) (File, error) {
	var file File
	data, err := os.ReadFile(path)
	if err != nil {
		return file, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return file, fmt.Errorf("%s: %w", path, err)
	}
	if len(file.Advisories) == 0 {
		return file, fmt.Errorf("%s: no advisories", path)
	}
	seen := map[string]bool{}
	var problems []string
	for i := range file.Advisories {
		a := &file.Advisories[i]
		if a.Release == "" {
			a.Release = file.Release
		}
		where := fmt.Sprintf("advisories[%d] (%s)", i, a.ID)
		if !testID.MatchString(a.ID) {
			problems = append(problems, where+": id must be an invented test ID matching "+testID.String())
		}
		if a.Package == "" {
			problems = append(problems, where+": package is required")
		}
		if !majorVersion.MatchString(a.Release) {
			problems = append(problems, where+": release must be a Debian major version such as \"12\"")
		}
		if _, err := types.NewSeverity(a.Severity); err != nil {
			problems = append(problems, where+": severity must be one of "+strings.Join(types.SeverityNames, ", "))
		}
		if a.FixedVersion != "" {
			if _, err := debver.NewVersion(a.FixedVersion); err != nil {
				problems = append(problems, fmt.Sprintf("%s: fixedVersion %q: %v", where, a.FixedVersion, err))
			}
			if a.Status != "" {
				problems = append(problems, where+": status is only for advisories without fixedVersion")
			}
		} else if a.Status != "" && types.NewStatus(a.Status) == types.StatusUnknown {
			problems = append(problems, fmt.Sprintf("%s: unknown status %q", where, a.Status))
		}
		key := a.Release + "/" + a.Package + "/" + a.ID
		if seen[key] {
			problems = append(problems, where+": duplicate of an earlier advisory for the same release and package")
		}
		seen[key] = true
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return file, fmt.Errorf("%s:\n  %s", path, strings.Join(problems, "\n  "))
	}
	return file, nil
}

// advisorySource is a trivy-db vulnsrc.VulnSrc that puts the input's advisories into the database.
type advisorySource struct {
	file File
}

func (advisorySource) Name() types.SourceID { return "model-canary-test-advisories" }

// Update puts every advisory, as trivy-db's Debian source does (its defaultPut), in one transaction.
func (s advisorySource) Update(string) error {
	dbc := db.Config{}
	return dbc.BatchUpdate(func(tx *bolt.Tx) error {
		for _, a := range s.file.Advisories {
			if err := put(dbc, tx, a); err != nil {
				return fmt.Errorf("%s (%s): %w", a.ID, a.Package, err)
			}
		}
		return nil
	})
}

func put(dbc db.Config, tx *bolt.Tx, a Advisory) error {
	platform := bucket.NewDebian(a.Release).Name() // e.g. "debian 12"
	severity, _ := types.NewSeverity(a.Severity)

	adv := types.Advisory{
		VendorIDs:    a.VendorIDs,
		Severity:     severity, // package-specific severity, like Debian's urgency
		FixedVersion: a.FixedVersion,
	}
	if a.FixedVersion == "" {
		adv.Status = types.StatusAffected
		if a.Status != "" {
			adv.Status = types.NewStatus(a.Status)
		}
	}
	if err := dbc.PutAdvisoryDetail(tx, a.ID, a.Package, []string{platform}, &adv); err != nil {
		return err
	}

	detail := types.VulnerabilityDetail{
		Title:       a.Title,
		Description: a.Description,
		References:  a.References,
		Severity:    severity,
	}
	if a.CVSSv3 != nil {
		detail.CvssVectorV3 = a.CVSSv3.Vector
		detail.CvssScoreV3 = a.CVSSv3.Score
	}
	if err := dbc.PutVulnerabilityDetail(tx, a.ID, sourceID, detail); err != nil {
		return err
	}
	if err := dbc.PutVulnerabilityID(tx, a.ID); err != nil {
		return err
	}
	return dbc.PutDataSource(tx, platform, types.DataSource{
		ID:   sourceID,
		Name: "Debian Security Tracker (model-canary test data)",
	})
}
