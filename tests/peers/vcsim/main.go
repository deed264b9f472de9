// Command vcsim-peer serves govmomi's simulator (vcsim) in ESX mode as an independent peer for the
// integration tests: a vim25 SDK and a /folder file API that this project did not write.
//
// Debian ships govmomi's simulator package but not its vcsim command; this is the smallest front
// end that the tests need. It listens on loopback over TLS with a certificate of its own, checks
// one username and password at Login, prints one JSON ready line on stdout and serves until
// SIGTERM or SIGINT (or EOF on stdin with -exit-on-stdin-eof), then removes the datastore
// directories it created.
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// ready is the line the tests read: where to connect, how to log in, where the datastores live.
type ready struct {
	URL         string            `json:"url"`
	Host        string            `json:"host"`
	User        string            `json:"user"`
	Password    string            `json:"password"`
	Datacenter  string            `json:"datacenter"`
	Datastores  map[string]string `json:"datastores"`
	Certificate string            `json:"certificateSha256,omitempty"`
	PID         int               `json:"pid"`
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (port 0: a free port)")
	user := flag.String("username", "root", "the one user name Login accepts")
	password := flag.String("password", "", "the password Login accepts (required)")
	datastores := flag.Int("ds", 1, "number of local datastores (LocalDS_0, LocalDS_1, ...)")
	machines := flag.Int("vm", 2, "number of model VMs vcsim creates itself (with empty files)")
	useTLS := flag.Bool("tls", true, "serve HTTPS with a self-signed RSA-2048 certificate made at start")
	datastoreURLs := flag.Bool("datastore-urls", true,
		"fill each VM's config.datastoreUrl from its files' datastores, as ESXi does (vcsim leaves it empty)")
	stdinEOF := flag.Bool("exit-on-stdin-eof", false, "shut down cleanly when stdin reaches EOF (the parent died)")
	flag.Parse()

	if *password == "" {
		fatal("-password is required: with none, vcsim accepts any user name and password")
	}

	model := simulator.ESX()
	model.Datastore = *datastores
	model.Machine = *machines
	if err := model.Create(); err != nil {
		fatal("creating the model: %v", err)
	}

	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *password)}
	var fingerprint string
	if *useTLS {
		cert, sum, err := selfSigned()
		if err != nil {
			model.Remove()
			fatal("making the certificate: %v", err)
		}
		model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		fingerprint = sum
	}

	server := model.Service.NewServer()
	if *datastoreURLs {
		// Set before the ready line is printed, so before any request: no request races the swap.
		sdk := server.Config.Handler
		server.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/sdk") {
				fillDatastoreURLs()
			}
			sdk.ServeHTTP(w, r)
		})
	}

	line := ready{
		URL:         server.URL.Scheme + "://" + server.URL.Host + server.URL.Path,
		Host:        server.URL.Host,
		User:        *user,
		Password:    *password,
		Datacenter:  "ha-datacenter",
		Datastores:  map[string]string{},
		Certificate: fingerprint,
		PID:         os.Getpid(),
	}
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		line.Datastores[ds.Name] = ds.Info.GetDatastoreInfo().Url
	}

	out, _ := json.Marshal(line)
	fmt.Println(string(out))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	if *stdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
			stop <- syscall.SIGTERM
		}()
	}
	<-stop

	server.Close()
	model.Remove()
}

// fillDatastoreURLs gives every VM the datastoreUrl pairs ESXi reports: one per datastore that
// holds its .vmx or one of its disks, with that datastore's URL.
func fillDatastoreURLs() {
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		simulator.Map.WithLock(vm, func() {
			if vm.Config == nil {
				return
			}
			refs := append([]types.ManagedObjectReference{}, vm.Datastore...)
			for _, device := range vm.Config.Hardware.Device {
				if disk, ok := device.(*types.VirtualDisk); ok {
					if b, ok := disk.Backing.(types.BaseVirtualDeviceFileBackingInfo); ok {
						if ref := b.GetVirtualDeviceFileBackingInfo().Datastore; ref != nil {
							refs = append(refs, *ref)
						}
					}
				}
			}
			urls := []types.VirtualMachineConfigInfoDatastoreUrlPair{}
			seen := map[string]bool{}
			for _, ref := range refs {
				ds, ok := simulator.Map.Get(ref).(*simulator.Datastore)
				if !ok || seen[ds.Name] {
					continue
				}
				seen[ds.Name] = true
				urls = append(urls, types.VirtualMachineConfigInfoDatastoreUrlPair{
					Name: ds.Name,
					Url:  ds.Info.GetDatastoreInfo().Url,
				})
			}
			vm.Config.DatastoreUrl = urls
		})
	}
}

// selfSigned makes an RSA-2048 certificate for 127.0.0.1 (vcsim's built-in one is Go's 1024-bit
// test certificate, which OpenSSL 3 clients refuse) and returns it with its SHA-256 fingerprint.
func selfSigned() (tls.Certificate, string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return tls.Certificate{}, "", err
	}
	template := x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"vcsim peer"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, &template, &template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	sum := sha256.Sum256(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, strings.ToUpper(hex.EncodeToString(sum[:])), nil
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim-peer: "+format+"\n", args...)
	os.Exit(1)
}
