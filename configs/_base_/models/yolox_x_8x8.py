# YOLOX-X as MMTracking's _base_/models/yolox_x_8x8.py.
_base_ = ['./yolox_s_8x8.py']

model = dict(
    detector=dict(
        backbone=dict(deepen_factor=1.33, widen_factor=1.25),
        neck=dict(
            in_channels=[320, 640, 1280], out_channels=320, num_csp_blocks=4),
        bbox_head=dict(in_channels=320, feat_channels=320)))
