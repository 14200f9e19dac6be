-- Run by tests/editor/test_neovim.py: Neovim's own LSP client (0.7 or later) starts
-- `annostory lsp`, opens the example's annotations file, makes a typo in a quote
-- without saving, and writes the diagnostics it receives to $OUT.
local root = vim.env.PROJECT
local client = vim.lsp.start_client({
  name = "annostory",
  cmd = { vim.env.PYTHON, "-m", "annostory", "lsp" },
  root_dir = root,
})
vim.cmd("edit " .. root .. "/annotations/trumka-not-motivated.yaml")
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client)
vim.wait(10000, function()
  local c = vim.lsp.get_client_by_id(client)
  return c ~= nil and c.initialized
end, 50)
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
for i, line in ipairs(lines) do
  if line:find("very damn near close", 1, true) then
    local typo = line:gsub("very damn", "very darn")
    vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { typo })
    break
  end
end
vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(out, string.format("%d:%d %s", d.lnum + 1, d.col + 1,
    (d.message:gsub("\n", " "))))
end
local file = io.open(vim.env.OUT, "w")
file:write(table.concat(out, "\n"))
file:close()
vim.cmd("qa!")
