package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/drafts"
)

// brandsPath holds each brand's voice for drafting (tone, signature, default language).
func (w *Workspace) brandsPath() string {
	return filepath.Join(filepath.Dir(w.DBPath), "brands.json")
}

// Brands returns the drafting profile of every brand that has accounts or a saved profile.
func (w *Workspace) Brands(ctx context.Context) ([]drafts.Brand, error) {
	saved, err := w.savedBrands()
	if err != nil {
		return nil, err
	}
	accounts, err := w.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		if a.Brand != "" {
			if _, ok := saved[a.Brand]; !ok {
				saved[a.Brand] = drafts.Brand{Name: a.Brand}
			}
		}
	}
	out := make([]drafts.Brand, 0, len(saved))
	for _, b := range saved {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Brand returns one brand's drafting profile (just the name when none is saved).
func (w *Workspace) Brand(name string) (drafts.Brand, error) {
	saved, err := w.savedBrands()
	if err != nil {
		return drafts.Brand{}, err
	}
	if b, ok := saved[name]; ok {
		return b, nil
	}
	return drafts.Brand{Name: name}, nil
}

// SaveBrand stores a brand's drafting profile.
func (w *Workspace) SaveBrand(b drafts.Brand) error {
	b.Name = strings.TrimSpace(b.Name)
	if b.Name == "" {
		return errors.New("the brand needs a name")
	}
	if b.DefaultLang != "" && !drafts.SupportedLang(b.DefaultLang) {
		return fmt.Errorf("default language %q: choose en, ru or de", b.DefaultLang)
	}
	if b.Domain != drafts.DomainAny && !slices.Contains(drafts.Domains(), b.Domain) {
		return fmt.Errorf("brand domain %q: choose one of %s, or none", b.Domain, strings.Join(drafts.Domains(), ", "))
	}
	saved, err := w.savedBrands()
	if err != nil {
		return err
	}
	saved[b.Name] = b
	data, err := json.MarshalIndent(saved, "", "  ")
	if err != nil {
		return err
	}
	tmp := w.brandsPath() + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("save brand %s: %w", b.Name, err)
	}
	return os.Rename(tmp, w.brandsPath())
}

func (w *Workspace) savedBrands() (map[string]drafts.Brand, error) {
	out := map[string]drafts.Brand{}
	data, err := os.ReadFile(w.brandsPath())
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read brand profiles: %w", err)
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("read brand profiles %s: %w", w.brandsPath(), err)
	}
	return out, nil
}

// seedDemoBrands stores the demo brands' voices, leaving any profile the user
// already saved under the same name as it is.
func (w *Workspace) seedDemoBrands() error {
	saved, err := w.savedBrands()
	if err != nil {
		return fmt.Errorf("demo brands: %w", err)
	}
	for _, b := range demo.Brands() {
		if _, ok := saved[b.Name]; ok {
			continue
		}
		if err := w.SaveBrand(b); err != nil {
			return fmt.Errorf("demo brands: %w", err)
		}
	}
	return nil
}
