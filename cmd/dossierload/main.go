// Command dossierload is the server's load test (make load): simulated
// desks push commands and pull the change feed against real dossierd
// processes on loopback — two on one PostgreSQL database, or one on its
// bbolt file — while one process is killed (SIGKILL) and restarted
// mid-run. It reports commands a second and push latencies, then proves
// that every command a desk saw acknowledged is on the server exactly
// once and that every desk converged. Bounded: it gives up after --limit.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/postgres"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/sync"
	"dossier/sync/client"
)

func main() {
	backend := flag.String("store", "postgres", "postgres or bbolt")
	dbURL := flag.String("db", os.Getenv("DOSSIER_TEST_POSTGRES"), "PostgreSQL URL (an empty database)")
	bin := flag.String("bin", "bin", "folder holding the dossierd binary")
	desks := flag.Int("desks", 200, "simulated desks")
	commands := flag.Int("commands", 500, "commands each desk pushes")
	batch := flag.Int("batch", 25, "commands a desk makes between two pushes")
	limit := flag.Duration("limit", 15*time.Minute, "give up after this long")
	signins := flag.Int("signins", 4, "desks signing in at the same moment")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *limit)
	defer cancel()
	r := &run{backend: *backend, db: *dbURL, bin: *bin, desks: *desks, commands: *commands, batch: *batch,
		signins: max(*signins, 1)}
	if err := r.main(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "dossierload:", err)
		os.Exit(1)
	}
}

type run struct {
	backend, db, bin        string
	desks, commands, batch  int
	signins                 int
	work                    string
	servers                 []*proc
	school                  domain.ID
	acked, errors, restarts atomic.Int64
	waited                  atomic.Int64
	latMu                   gosync.Mutex
	lat                     []time.Duration
}

// proc is one dossierd process.
type proc struct {
	args        []string
	url, finger string
	cmd         *exec.Cmd
}

func (r *run) main(ctx context.Context) error {
	var err error
	if r.work, err = os.MkdirTemp("", "dossierload-"); err != nil {
		return err
	}
	defer os.RemoveAll(r.work)
	if err := r.setUp(); err != nil {
		return err
	}
	defer r.stopAll()
	ds, err := r.openDesks(ctx)
	if err != nil {
		return err
	}
	total := r.desks * r.commands
	fmt.Printf("%d desks × %d commands against %d dossierd on %s\n", r.desks, r.commands, len(r.servers), r.backend)

	// One process dies at 40 % and comes back two seconds later.
	killed := make(chan error, 1)
	go func() {
		for r.acked.Load() < int64(total)*4/10 {
			if ctx.Err() != nil {
				killed <- ctx.Err()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		killed <- r.killAndRestart(r.servers[0])
	}()
	start := time.Now()
	var wg gosync.WaitGroup
	errs := make(chan error, len(ds))
	for _, d := range ds {
		wg.Go(func() { errs <- r.work1(ctx, d) })
	}
	wg.Wait()
	wall := time.Since(start)
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	if err := <-killed; err != nil {
		return err
	}
	slices.Sort(r.lat)
	fmt.Printf("pushed %d commands in %.1f s: %.0f commands/s; push of %d: p50 %.1f ms, p99 %.1f ms; %d pushes failed while a server was down, %d restart\n",
		r.acked.Load(), wall.Seconds(), float64(r.acked.Load())/wall.Seconds(), r.batch,
		ms(r.lat[len(r.lat)/2]), ms(r.lat[len(r.lat)*99/100]), r.errors.Load(), r.restarts.Load())
	return r.check(ctx, ds)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// setUp makes the store (a school) and starts the servers: two processes
// sharing the database and its key file, or one on the bbolt file.
func (r *run) setUp() error {
	dirA := filepath.Join(r.work, "a")
	admin := []string{"admin", "add-school", "--data", dirA, "--name", "Collège Boréal", "--code", "A01", "--province", "ON"}
	n := 1
	if r.backend == "postgres" {
		if r.db == "" {
			return errors.New("--db (or DOSSIER_TEST_POSTGRES) names an empty PostgreSQL database")
		}
		admin = append(admin, "--db", r.db)
		n = 2
	}
	if out, err := exec.Command(filepath.Join(r.bin, "dossierd"), admin...).CombinedOutput(); err != nil {
		return fmt.Errorf("add-school: %v: %s", err, out)
	}
	for i := range n {
		dir := filepath.Join(r.work, string(rune('a'+i)))
		if i > 0 { // the same key in every process's folder
			os.MkdirAll(dir, 0o700)
			key, err := os.ReadFile(filepath.Join(dirA, "dossierd.key"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "dossierd.key"), key, 0o600); err != nil {
				return err
			}
		}
		// Every desk comes from 127.0.0.1 and raises hundreds of requests:
		// the limits per address and per account are lifted.
		p := &proc{args: []string{"serve", "--data", dir, "--addr", fmt.Sprintf("127.0.0.1:%d", 24000+i), "--load-test"}}
		if r.backend == "postgres" {
			p.args = append(p.args, "--db", r.db)
		}
		if err := r.start(p); err != nil {
			return err
		}
		r.servers = append(r.servers, p)
	}
	return nil
}

// start starts a process and waits for its fingerprint line.
func (r *run) start(p *proc) error {
	p.cmd = exec.Command(filepath.Join(r.bin, "dossierd"), p.args...)
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	p.cmd.Stderr = io.Discard
	if err := p.cmd.Start(); err != nil {
		return err
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		l := lines.Text()
		if f := strings.Fields(l); len(f) > 0 && len(f[len(f)-1]) == 64 {
			p.finger = f[len(f)-1]
		}
		if strings.Contains(l, "listens on ") {
			p.url = "https://" + strings.Fields(l)[len(strings.Fields(l))-1]
		}
		if p.url != "" && p.finger != "" {
			go io.Copy(io.Discard, out)
			return nil
		}
	}
	return fmt.Errorf("dossierd %v did not start", p.args)
}

func (r *run) killAndRestart(p *proc) error {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	fmt.Printf("killed %s at %d commands; restarting in 2 s\n", p.url, r.acked.Load())
	time.Sleep(2 * time.Second)
	r.restarts.Add(1)
	return r.start(p)
}

func (r *run) stopAll() {
	for _, p := range r.servers {
		if p.cmd != nil && p.cmd.Process != nil {
			p.cmd.Process.Signal(syscall.SIGTERM)
			p.cmd.Wait()
		}
	}
}

// desk is a simulated desk: a student's profile raising requests.
type desk struct {
	i    int
	st   programs.Desk
	c    *client.Client
	by   account.Actor
	mine []domain.ID
}

// openDesks opens the desks, r.signins at a time: people sign in over
// minutes, not all in one instant, and the server checks a password on a
// free core only (a sign-in that waited too long for one is answered
// sync.ErrTooMany, and its desk signs in again shortly after, as a
// person would). The server's limits stay as they are.
func (r *run) openDesks(ctx context.Context) ([]*desk, error) {
	out := make([]*desk, r.desks)
	var wg gosync.WaitGroup
	errs := make(chan error, r.desks)
	turns := make(chan struct{}, r.signins)
	t0 := time.Now()
	for i := range out {
		wg.Go(func() {
			turns <- struct{}{}
			defer func() { <-turns }()
			d, err := r.openDesk(ctx, i)
			out[i] = d
			errs <- err
		})
	}
	wg.Wait()
	fmt.Printf("%d desks registered and signed in in %.1f s (%d at a time; %d sign-ins waited their turn)\n",
		r.desks, time.Since(t0).Seconds(), r.signins, r.waited.Load())
	close(errs)
	for err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

const password = "load-password-1"

func (r *run) openDesk(ctx context.Context, i int) (*desk, error) {
	dir := filepath.Join(r.work, fmt.Sprintf("desk%03d", i))
	os.MkdirAll(dir, 0o700)
	// The desks hash with the programs' parameters (Secrets left zero):
	// dossierd takes no hash made with others.
	st, err := programs.Create(store.ProfilePath(dir), password, store.Options{KDF: store.TestKDF,
		Rand: rand.Reader, NoSync: true})
	if err != nil {
		return nil, err
	}
	p := r.servers[i%len(r.servers)]
	c, err := client.Connect(ctx, st, p.url, p.finger)
	if err != nil {
		return nil, err
	}
	user := fmt.Sprintf("eleve%03d", i)
	a, err := st.RegisterStudent(account.Registration{UserID: user, Password: password, GivenNames: "Élodie",
		FamilyName: "Côté", AcceptTerms: true, Questions: [account.QuestionCount]account.SecurityQuestion{
			{Question: "a", Answer: "aaa"}, {Question: "b", Answer: "bbb"}, {Question: "c", Answer: "ccc"}, {Question: "d", Answer: "ddd"}}})
	if err != nil {
		return nil, err
	}
	if err := r.signIn(ctx, c, a.ID, user); err != nil {
		return nil, err
	}
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	ins, err := st.Institutions()
	if err != nil || len(ins) == 0 {
		return nil, fmt.Errorf("desk %d sees no school: %v", i, err)
	}
	r.school = ins[0].ID
	return &desk{i: i, st: st, c: c, by: a.Actor()}, nil
}

// signIn signs a desk's student in, again after a pause while the server
// answers that it is busy checking others' passwords (sync.ErrTooMany).
func (r *run) signIn(ctx context.Context, c *client.Client, acct domain.ID, user string) error {
	c.SetAnswerer(func(_ context.Context, q string) (string, error) { return strings.Repeat(q, 3), nil }) // "a" → "aaa"
	for {
		err := c.SignIn(ctx, acct, user, password)
		if !errors.Is(err, sync.ErrTooMany) {
			return err
		}
		r.waited.Add(1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250*time.Millisecond + time.Duration(mrand.Int64N(int64(500*time.Millisecond)))):
		}
	}
}

// work1 is one desk's run: raise a batch, push it (again and again while
// its server is down), and now and then pull.
func (r *run) work1(ctx context.Context, d *desk) error {
	for made := 0; made < r.commands; {
		for k := 0; k < r.batch && made < r.commands; k++ {
			req, err := d.st.RaiseRequest(d.by, ens.Raise{Type: ens.EV, School: r.school, Student: ens.Student{
				GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
				ClientID: domain.ClientID(fmt.Sprintf("%08d", 10000000+d.i*1000+made)), Email: "e@example.ca"}})
			if err != nil {
				return err
			}
			d.mine = append(d.mine, req.ID)
			made++
		}
		if err := r.push(ctx, d); err != nil {
			return err
		}
		if made%(4*r.batch) == 0 {
			d.c.Pull(ctx, 0) // a failure is retried at the next pull
		}
	}
	return nil
}

func (r *run) push(ctx context.Context, d *desk) error {
	for {
		t0 := time.Now()
		n, err := d.c.Push(ctx)
		r.acked.Add(int64(n))
		if err == nil {
			r.latMu.Lock()
			r.lat = append(r.lat, time.Since(t0))
			r.latMu.Unlock()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.errors.Add(1)
		time.Sleep(200 * time.Millisecond)
	}
}

// check proves the run: every desk's outbox is empty (each command was
// acknowledged), the server holds each desk's requests once and nothing
// else, and each desk, after pulling, holds what the server holds.
func (r *run) check(ctx context.Context, ds []*desk) error {
	for _, d := range ds {
		if err := d.c.Sync(ctx); err != nil {
			return err
		}
		if left, _ := d.st.PendingFor(d.by.Account, 1); len(left) != 0 {
			return errors.New("a desk still has commands to send")
		}
	}
	r.stopAll()
	sv, closeSV, err := r.openServerStore()
	if err != nil {
		return err
	}
	defer closeSV()
	total := r.desks * r.commands
	n, err := sv.Store().QueueCount(account.SystemActor, requests.QueueFilter{School: r.school})
	if err != nil {
		return err
	}
	if n != total {
		return fmt.Errorf("the server holds %d requests, not %d", n, total)
	}
	for _, d := range ds {
		for _, id := range d.mine {
			got, err := sv.Request(account.SystemActor, id)
			if err != nil {
				return fmt.Errorf("request %s is not on the server: %w", id, err)
			}
			mine, err := d.st.Request(d.by, id)
			if err != nil || mine.Version != got.Version || mine.Status != got.Status {
				return fmt.Errorf("desk and server differ on %s: %v", id, err)
			}
		}
		d.st.Close()
	}
	fmt.Printf("checked: every one of the %d acknowledged commands is on the server exactly once (%d requests), and all %d desks converged\n",
		total, n, len(ds))
	return nil
}

func (r *run) openServerStore() (programs.Server, func(), error) {
	dir := filepath.Join(r.work, "a")
	if r.backend != "postgres" {
		sv, err := programs.OpenServer(dir, store.ServerOptions{})
		return sv, func() { sv.Close() }, err
	}
	db, err := postgres.Open(context.Background(), r.db)
	if err != nil {
		return programs.Server{}, nil, err
	}
	sv, err := programs.OpenServerOn(db, dir, store.ServerOptions{})
	return sv, func() { sv.Close() }, err
}
