-- Neovim's built-in LSP client (0.7) attaches `kdlint --lsp` to a driver file
-- and writes the diagnostics it shows, one line each, to $OUT.
local file, out = os.getenv('FILE'), os.getenv('OUT')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'kdlint',
  cmd = { os.getenv('KDLINT'), '--lsp', '--compile-commands-dir=' .. os.getenv('CDB_DIR') },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(90000, function() return #vim.diagnostic.get(bufnr) > 0 end, 100)
local f = io.open(out, 'w')
if not ok then f:write('TIMEOUT\n') end
local diags = vim.diagnostic.get(bufnr)
table.sort(diags, function(a, b) return a.lnum < b.lnum end)
for _, d in ipairs(diags) do
  local lsp = (d.user_data or {}).lsp or {}
  f:write(string.format('%d:%d %s %s [%s] %s\n', d.lnum + 1, d.col + 1,
    vim.diagnostic.severity[d.severity], d.source or '-', d.code or lsp.code or '-', d.message))
  for _, r in ipairs(lsp.relatedInformation or {}) do
    f:write(string.format('  related %s:%d %s\n', vim.fn.fnamemodify(vim.uri_to_fname(r.location.uri), ':t'),
      r.location.range.start.line + 1, r.message))
  end
end
f:close()
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
