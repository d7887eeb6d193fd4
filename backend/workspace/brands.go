package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/drafts"
)

// Brands returns the drafting profile of every brand that has accounts or a saved profile.
func (w *Workspace) Brands(ctx context.Context) ([]drafts.Brand, error) {
	saved, err := w.savedBrands(ctx)
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
func (w *Workspace) Brand(ctx context.Context, name string) (drafts.Brand, error) {
	saved, err := w.savedBrands(ctx)
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
	return w.saveBrand(context.Background(), b)
}

func (w *Workspace) saveBrand(ctx context.Context, b drafts.Brand) error {
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
	saved, err := w.savedBrands(ctx)
	if err != nil {
		return err
	}
	saved[b.Name] = b
	data, err := json.MarshalIndent(saved, "", "  ")
	if err != nil {
		return err
	}
	if err := w.Store.PutSetting(ctx, settingBrands, string(data)); err != nil {
		return fmt.Errorf("save brand %s: %w", b.Name, err)
	}
	return nil
}

func (w *Workspace) savedBrands(ctx context.Context) (map[string]drafts.Brand, error) {
	out := map[string]drafts.Brand{}
	data, found, err := w.setting(ctx, settingBrands)
	if err != nil {
		return nil, fmt.Errorf("read brand profiles: %w", err)
	}
	if !found {
		return out, nil
	}
	if err := json.Unmarshal([]byte(data), &out); err != nil {
		return nil, fmt.Errorf("read brand profiles (setting %q): %w", settingBrands, err)
	}
	return out, nil
}

// seedDemoBrands stores the demo brands' voices, leaving any profile the user
// already saved under the same name as it is.
func (w *Workspace) seedDemoBrands(ctx context.Context) error {
	saved, err := w.savedBrands(ctx)
	if err != nil {
		return fmt.Errorf("demo brands: %w", err)
	}
	for _, b := range demo.Brands() {
		if _, ok := saved[b.Name]; ok {
			continue
		}
		if err := w.saveBrand(ctx, b); err != nil {
			return fmt.Errorf("demo brands: %w", err)
		}
	}
	return nil
}
